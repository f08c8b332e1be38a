package org.vnetd.cli.edit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;

/** virsh's edit file: {@code $TMPDIR/virshXXXXXX.xml}, created exclusively with mode 0600. */
public final class TempXmlFile {
    private static final String CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private TempXmlFile() {
    }

    public static Path create(Path dir, String content) throws IOException {
        SecureRandom random = new SecureRandom();
        for (int attempt = 0; attempt < 100; attempt++) {
            StringBuilder name = new StringBuilder("virsh");
            for (int i = 0; i < 6; i++) {
                name.append(CHARS.charAt(random.nextInt(CHARS.length())));
            }
            Path p = dir.resolve(name.append(".xml").toString());
            try {
                Files.createFile(p, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (FileAlreadyExistsException e) {
                continue;
            }
            Files.writeString(p, content, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
            return p;
        }
        throw new IOException("no free temporary file name in " + dir);
    }
}
