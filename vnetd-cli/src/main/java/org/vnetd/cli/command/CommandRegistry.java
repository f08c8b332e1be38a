package org.vnetd.cli.command;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.vnetd.cli.doctor.DoctorCommand;
import org.vnetd.cli.shell.CommandDef;

/** Every vnetctl command, grouped as {@code help} lists them (virsh's network group order first). */
public final class CommandRegistry {
    /** A help group: its title, its {@code help KEYWORD}, its commands. */
    public record Group(String title, String keyword, List<Command> commands) {
    }

    private final List<Group> groups;

    public CommandRegistry(List<Group> groups) {
        this.groups = List.copyOf(groups);
    }

    public static CommandRegistry standard() {
        List<Group> groups = new ArrayList<>();
        groups.add(new Group("Networking", "network", List.of(
                new NetAutostart(), NetFromXml.create(), NetFromXml.define(), new NetDesc(), new NetDestroy(),
                new NetDhcpLeases(), new NetDumpXml(), new NetEdit(), new NetEvent(), new NetInfo(), new NetList(),
                new NetMetadata(), new NetName(), new NetStart(), new NetUndefine(), new NetUpdate(), new NetUuid(),
                new NetPortList(), new NetPortCreate(), new NetPortDumpXml(), new NetPortDelete())));
        groups.add(new Group("vnetd extras", "vnetd", List.of(new DoctorCommand(), new FirewallReload(), new ImportLibvirt(),
                new NetStats())));
        List<Command> itself = new ArrayList<>();
        itself.add(new Quit("exit"));
        groups.add(new Group("vnetctl itself", "vnetctl", itself));
        CommandRegistry registry = new CommandRegistry(groups);
        itself.add(new Help(registry));
        itself.add(new Quit("quit"));
        return registry;
    }

    public List<Group> groups() {
        return groups;
    }

    public Optional<Command> command(String name) {
        return groups.stream().flatMap(g -> g.commands().stream()).filter(c -> c.def().name().equals(name)).findFirst();
    }

    public Optional<CommandDef> def(String name) {
        return command(name).map(Command::def);
    }

    public List<Command> all() {
        return groups.stream().flatMap(g -> g.commands().stream()).toList();
    }
}
