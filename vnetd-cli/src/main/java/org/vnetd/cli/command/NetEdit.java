package org.vnetd.cli.command;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.vnetd.cli.Session;
import org.vnetd.cli.edit.Editor;
import org.vnetd.cli.edit.TempXmlFile;
import org.vnetd.core.rpc.NetworkSummary;
import org.vnetd.cli.shell.CommandDef;
import org.vnetd.cli.shell.ParsedCommand;
import org.vnetd.cli.shell.UsageException;
import org.vnetd.core.error.VnetException;

/**
 * net-edit, following virsh-edit.c: the inactive XML goes to {@code $TMPDIR/virshXXXXXX.xml}, the editor runs,
 * an untouched file is "not changed", a file someone else changed meanwhile or the daemon refuses leads to
 * "Try again? [y,n,f,?]:" on a TTY. Unlike virsh, giving up never deletes the user's work: the file stays
 * and its name is printed.
 */
public final class NetEdit implements Command {
    static final CommandDef DEF = new CommandDef("net-edit", Networks.GROUP, "edit XML configuration for a network",
            "Edit the XML configuration for a network.", List.of(Networks.NETWORK), true);

    @Override
    public CommandDef def() {
        return DEF;
    }

    @Override
    public boolean run(Session s, ParsedCommand cmd) throws UsageException {
        String name = cmd.required("network");
        String doc;
        try {
            doc = s.api().xml(name, true);
        } catch (VnetException e) {
            return Networks.failed(s, name, e, "failed to get XML of network " + name);
        }
        Path tmp;
        try {
            tmp = TempXmlFile.create(s.tmpDir(), doc);
        } catch (IOException e) {
            s.error("failed to create temporary file in " + s.tmpDir() + ": " + e.getMessage());
            return false;
        }
        String edited = null;
        boolean reedit = true;
        while (true) {
            if (reedit) {
                String failure = Editor.edit(s, tmp);
                if (failure != null) {
                    s.error(failure);
                    return keep(s, tmp);
                }
                try {
                    edited = Files.readString(tmp, StandardCharsets.UTF_8);
                } catch (IOException e) {
                    s.error(tmp + ": failed to read temporary file: " + e.getMessage());
                    return keep(s, tmp);
                }
                if (edited.equals(doc)) {
                    s.printExtra("Network " + name + " XML configuration not changed.\n");
                    delete(tmp);
                    return true;
                }
            }
            String msg = null;
            VnetException failure = null;
            String reread;
            try {
                reread = s.api().xml(name, true);
            } catch (VnetException e) {
                s.report(e);
                return keep(s, tmp);
            }
            if (!reread.equals(doc)) {
                msg = "The XML configuration was changed by another user.";
                doc = reread;
            }
            if (msg == null) {
                try {
                    NetworkSummary defined = s.api().define(edited);
                    s.printExtra("Network " + defined.name() + " XML configuration edited.\n");
                    delete(tmp);
                    return true;
                } catch (org.vnetd.client.DaemonUnreachableException e) {
                    s.error(e.getMessage());
                    return keep(s, tmp);
                } catch (VnetException e) {
                    msg = "Failed.";
                    failure = e;
                }
            }
            if (!s.terminal().isInteractive()) {
                s.error(msg);
                if (failure != null) {
                    s.report(failure);
                }
                return keep(s, tmp);
            }
            if (failure != null) {
                s.report(failure);
            }
            s.flush();
            char answer = s.terminal().askReedit(msg, s.outWriter());
            switch (answer) {
                case 'y' -> reedit = true;
                case 'f' -> reedit = false;
                default -> {
                    return keep(s, tmp);
                }
            }
        }
    }

    /** The user's edit survives a failure: say where it is and how to apply it once fixed. */
    private static boolean keep(Session s, Path tmp) {
        s.error("your edit is kept in " + tmp + "; fix it and apply it with 'vnetctl net-define " + tmp + "'");
        return false;
    }

    private static void delete(Path tmp) {
        try {
            Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
            // the edit was applied; a leftover 0600 temp file is harmless
        }
    }
}
