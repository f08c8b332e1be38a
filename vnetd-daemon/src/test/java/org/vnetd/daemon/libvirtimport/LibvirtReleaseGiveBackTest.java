package org.vnetd.daemon.libvirtimport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vnetd.core.plan.Action;
import org.vnetd.daemon.firewall.CommandResult;
import org.vnetd.daemon.firewall.CommandRunner;

/**
 * A give-back from the release record a crashed daemon left undoes what each begun step did, and only that:
 * rules the record says were being removed are put back only when they are gone (the removal had run), the
 * status file is moved back only when libvirt has none, and the record is read back as it was written.
 */
class LibvirtReleaseGiveBackTest {
    private static final String SAVE_RESOURCE = "libvirt9-iptables-save.txt";

    /** iptables-save answers {@code save}; nft has no libvirt table; every other command succeeds and is recorded. */
    private static CommandRunner firewall(String save, List<List<String>> ran) {
        return (argv, stdin) -> {
            ran.add(argv);
            return switch (argv.getFirst()) {
                case "iptables-save", "ip6tables-save" -> new CommandResult(argv, 0, argv.getFirst().startsWith("ip6") ? "" : save, "");
                case "nft" -> new CommandResult(argv, 1, "", "Error: No such file or directory");
                default -> new CommandResult(argv, 0, "", "");
            };
        };
    }

    private static ReleaseJournal.Entry midway(Path statusFile, String restoreScript) {
        Action.ReleaseFromLibvirt r = new Action.ReleaseFromLibvirt("default", "virbr0", OptionalLong.empty(), OptionalLong.empty(),
                Optional.empty(), Optional.of(statusFile.toString()));
        return ReleaseJournal.Entry.begin(r, List.of("192.168.122.0/24"), List.of()).settingStatusAside()
                .removingRules("iptables", restoreScript);
    }

    private static LibvirtRelease release(CommandRunner runner, Path runDir) {
        return new LibvirtRelease(runner, (bridge, leases) -> { }, runDir, new LibvirtDaemonLauncher.Direct(), ReleasePause.none());
    }

    @Test
    void aCrashAfterTheRulesWentPutsThemAndTheStatusFileBack(@TempDir Path dir) throws Exception {
        String save = LibvirtFirewallRulesTest.resource(SAVE_RESOURCE);
        LibvirtFirewallRules.Change change = LibvirtFirewallRules.iptablesChange(save, "virbr0", LibvirtFirewallRulesTest.DEFAULT);
        Path status = Files.writeString(dir.resolve("default.xml.vnetd"), "<networkstatus/>").resolveSibling("default.xml");
        ReleaseJournal journal = new ReleaseJournal(dir.resolve("run"));
        ReleaseJournal.Entry entry = midway(status, change.restore());
        journal.save(entry);
        assertEquals(entry, journal.read("default").orElseThrow(), "the record reads back as written");

        List<List<String>> ran = new ArrayList<>();
        release(firewall(LibvirtFirewallRulesTest.applied(save, change.removal()), ran), dir.resolve("run")).giveBack("default");
        assertTrue(ran.contains(List.of("iptables-restore", "--noflush")), ran.toString());
        assertTrue(Files.exists(status), "the status file is back");
        assertFalse(Files.exists(dir.resolve("default.xml.vnetd")));
        assertEquals(List.of(), journal.networks(), "the record is gone");
    }

    @Test
    void aCrashBeforeTheRemovalRanLeavesLibvirtsRulesAndStatusFileAlone(@TempDir Path dir) throws Exception {
        String save = LibvirtFirewallRulesTest.resource(SAVE_RESOURCE);
        LibvirtFirewallRules.Change change = LibvirtFirewallRules.iptablesChange(save, "virbr0", LibvirtFirewallRulesTest.DEFAULT);
        // libvirt's own status file is in place; the one aside is an older takeover's
        Path status = Files.writeString(dir.resolve("default.xml"), "<networkstatus>current</networkstatus>");
        Files.writeString(dir.resolve("default.xml.vnetd"), "<networkstatus>older</networkstatus>");
        ReleaseJournal journal = new ReleaseJournal(dir.resolve("run"));
        journal.save(midway(status, change.restore()));

        List<List<String>> ran = new ArrayList<>();
        release(firewall(save, ran), dir.resolve("run")).giveBack("default");
        assertFalse(ran.stream().anyMatch(a -> a.getFirst().endsWith("-restore")), "the rules are there: nothing to put back " + ran);
        assertEquals("<networkstatus>current</networkstatus>", Files.readString(status));
        assertEquals(List.of(), journal.networks());
    }

    @Test
    void withoutARecordThereIsNothingToGiveBack(@TempDir Path dir) {
        List<List<String>> ran = new ArrayList<>();
        release(firewall("", ran), dir).giveBack("default");
        assertEquals(List.of(), ran);
    }

    @Test
    void aLeftoverIsGivenBackUnlessVnetdRunsTheNetwork(@TempDir Path dir) throws Exception {
        String save = LibvirtFirewallRulesTest.resource(SAVE_RESOURCE);
        LibvirtFirewallRules.Change change = LibvirtFirewallRules.iptablesChange(save, "virbr0", LibvirtFirewallRulesTest.DEFAULT);
        ReleaseJournal journal = new ReleaseJournal(dir.resolve("run"));
        journal.save(midway(dir.resolve("default.xml"), change.restore()));
        List<List<String>> ran = new ArrayList<>();
        LibvirtRelease release = release(firewall(LibvirtFirewallRulesTest.applied(save, change.removal()), ran), dir.resolve("run"));
        release.giveBackLeftovers(network -> network.equals("default"));
        assertEquals(List.of(), ran, "a takeover that had finished is not given back");
        assertEquals(List.of(), journal.networks(), "its record goes");

        journal.save(midway(dir.resolve("default.xml"), change.restore()));
        release.giveBackLeftovers(network -> false);
        assertTrue(ran.contains(List.of("iptables-restore", "--noflush")), ran.toString());
        assertEquals(List.of(), journal.networks());
    }
}
