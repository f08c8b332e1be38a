package org.vnetd.core.libvirtimport;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vnetd.core.driver.NetworkDriver;
import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;
import org.vnetd.core.rpc.ImportResult;

/**
 * {@code vnetctl import-libvirt}: libvirt's networks become vnetd's through the driver, all or nothing.
 * The whole {@link ImportPlan} is checked first; then every definition is stored, autostart set and the
 * leases of networks not taken over imported (a failure undefines what this import defined); then, with
 * takeover, each running network is taken over ({@link NetworkDriver#takeOver}). A takeover that fails
 * is rolled back by the executor, which gives the network back to libvirt if libvirt had let go already,
 * and the networks not taken over yet are undefined again: an import run again once the cause is fixed
 * leaves the ones already moved as they are.
 */
public final class LibvirtImport {
    private static final Logger LOG = LoggerFactory.getLogger(LibvirtImport.class);

    private final NetworkDriver driver;
    private final ImportPlanner planner;
    private final LeaseImporter leases;
    private final PortImporter ports;
    private final ImportJournal journal;

    public LibvirtImport(NetworkDriver driver, ImportPlanner planner, LeaseImporter leases, PortImporter ports) {
        this(driver, planner, leases, ports, ImportJournal.NONE);
    }

    /** @param journal where the networks being defined are recorded until the import ends */
    public LibvirtImport(NetworkDriver driver, ImportPlanner planner, LeaseImporter leases, PortImporter ports, ImportJournal journal) {
        this.driver = Objects.requireNonNull(driver);
        this.planner = Objects.requireNonNull(planner);
        this.leases = Objects.requireNonNull(leases);
        this.ports = Objects.requireNonNull(ports);
        this.journal = Objects.requireNonNull(journal);
    }

    public ImportResult run(LibvirtHost host, boolean takeover, boolean dryRun) {
        ImportPlan plan = planner.plan(host, driver.list(), takeover);
        if (dryRun) {
            return result(plan, true, java.util.Map.of());
        }
        List<NetworkImport> todo = plan.networks().stream().filter(n -> n.outcome() == NetworkImport.Outcome.IMPORTED).toList();
        journal.defining(todo.stream().filter(n -> n.persistent() != null).map(NetworkImport::name).toList());
        try {
            return run(plan, todo);
        } finally {
            journal.ended();
        }
    }

    private ImportResult run(ImportPlan plan, List<NetworkImport> todo) {
        List<String> defined = new ArrayList<>();
        try {
            for (NetworkImport n : todo) {
                if (n.persistent() != null) {
                    driver.define(n.source().configXml());
                    defined.add(n.name());
                    if (n.source().autostart()) {
                        driver.setAutostart(n.name(), true);
                    }
                }
                if (!n.takesOver() && n.bridge() != null && !n.source().leases().isEmpty()) {
                    leases.importLeases(n.bridge(), n.source().leases());
                }
            }
        } catch (RuntimeException e) {
            undefine(defined, e);
            throw wrap(e, "nothing imported: ");
        }
        List<String> takenOver = new ArrayList<>();
        java.util.Map<String, List<String>> notes = new java.util.HashMap<>();
        for (NetworkImport n : todo) {
            if (!n.takesOver()) {
                continue;
            }
            try {
                driver.takeOver(n.source().liveXml(), def -> n.release());
                takenOver.add(n.name());
                LOG.info("took network '{}' over from libvirt", n.name());
                importPorts(n, notes);
            } catch (RuntimeException e) {
                List<String> notMoved = todo.stream().filter(NetworkImport::takesOver).map(NetworkImport::name)
                        .filter(x -> !takenOver.contains(x)).toList();
                // the executor's rollback gave the network back to libvirt; what of it failed is attached to e
                String back = e.getSuppressed().length == 0 ? "it was given back to libvirt as libvirt ran it"
                        : "giving it back to libvirt failed too (" + e.getSuppressed()[0].getMessage() + "; see vnetd's log)";
                undefine(defined.stream().filter(notMoved::contains).toList(), e);
                throw wrap(e, "taking over network '" + n.name() + "' failed, " + back + "; " + String.join(", ", notMoved)
                        + " stay libvirt's (not defined in vnetd)" + (takenOver.isEmpty() ? "" : "; taken over already: "
                        + String.join(", ", takenOver) + " (an import run again leaves them as they are)") + ": ");
            }
        }
        return result(plan, false, notes);
    }

    /**
     * The network runs in vnetd now, whatever becomes of its ports' records: one that cannot be recorded is
     * said in the result (and logged), and its guest keeps its tap all the same.
     */
    private void importPorts(NetworkImport n, java.util.Map<String, List<String>> notes) {
        for (String xml : n.source().ports()) {
            try {
                ports.importPort(n.name(), xml);
            } catch (RuntimeException e) {
                LOG.error("network '{}': a port libvirt recorded cannot be recorded: {}", n.name(), e.getMessage());
                notes.computeIfAbsent(n.name(), k -> new ArrayList<>()).add("a port libvirt recorded was not: " + e.getMessage());
            }
        }
    }

    private void undefine(List<String> names, RuntimeException cause) {
        for (String name : names) {
            try {
                driver.undefine(name);
            } catch (RuntimeException e) {
                cause.addSuppressed(e);
            }
        }
    }

    private static VnetException wrap(RuntimeException e, String prefix) {
        ErrorCode code = e instanceof VnetException v ? v.code() : ErrorCode.INTERNAL;
        return new VnetException(code, prefix + e.getMessage(), e);
    }

    private static ImportResult result(ImportPlan plan, boolean dryRun, java.util.Map<String, List<String>> notes) {
        return new ImportResult(dryRun, plan.networks().stream().map(n -> new ImportResult.Network(n.name(), n.uuid(), n.bridge(),
                switch (n.outcome()) {
                    case IMPORTED -> "imported";
                    case ALREADY_VNETD -> "already-vnetd";
                    case SKIPPED -> "skipped";
                }, n.takesOver(), java.util.stream.Stream.concat(n.steps().stream(), notes.getOrDefault(n.name(), List.of()).stream())
                        .toList())).toList());
    }
}
