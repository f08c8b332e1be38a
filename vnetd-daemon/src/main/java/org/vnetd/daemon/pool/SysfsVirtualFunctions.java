package org.vnetd.daemon.pool;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;
import org.vnetd.core.link.LinkNames;
import org.vnetd.core.pool.PciAddress;
import org.vnetd.core.pool.VirtualFunction;
import org.vnetd.core.pool.VirtualFunctions;

/**
 * The virtual functions of an SR-IOV PF as sysfs shows them (what libvirt's virPCIGetVirtualFunctions reads):
 * {@code ROOT/class/net/PF/device/virtfnN} links to each VF's PCI device directory, {@code virtfn0} upwards until
 * one is missing, and {@code virtfnN/net/NAME} is the VF's interface while a net driver has it. {@code ROOT} is
 * {@code /sys}, or a tree a test builds (the {@code sysfs_root} setting).
 */
public final class SysfsVirtualFunctions implements VirtualFunctions {
    /** The kernel caps a PF's VFs far below this; a bound on a tree that is not what it should be. */
    private static final int MAX_VFS = 4096;

    private final Path root;

    public SysfsVirtualFunctions(Path root) {
        this.root = root;
    }

    @Override
    public List<VirtualFunction> of(String pf) {
        LinkNames.check(pf);
        Path device = root.resolve("class/net").resolve(pf).resolve("device");
        if (!Files.isDirectory(device)) {
            throw VnetException.of(ErrorCode.CONFLICT, "internal error: Could not get Virtual functions on %s (%s does not exist)", pf,
                    device);
        }
        List<VirtualFunction> out = new ArrayList<>();
        try {
            for (int i = 0; i < MAX_VFS; i++) {
                Path vf = device.resolve("virtfn" + i);
                if (!Files.exists(vf)) {
                    break;
                }
                Path target = Files.isSymbolicLink(vf) ? Files.readSymbolicLink(vf) : vf.toRealPath();
                out.add(new VirtualFunction(PciAddress.ofSysfs(target.getFileName().toString()), netdev(vf.resolve("net"))));
            }
        } catch (IOException e) {
            throw VnetException.of(ErrorCode.CONFLICT, "internal error: Could not get Virtual functions on %s: %s", pf, e.getMessage());
        }
        return out;
    }

    private static Optional<String> netdev(Path net) throws IOException {
        if (!Files.isDirectory(net)) {
            return Optional.empty();
        }
        try (Stream<Path> s = Files.list(net)) {
            return s.map(p -> p.getFileName().toString()).sorted().findFirst();
        }
    }
}
