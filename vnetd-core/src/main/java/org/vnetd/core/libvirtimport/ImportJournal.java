package org.vnetd.core.libvirtimport;

import java.util.List;

/**
 * Where an import says, durably, which networks it is defining before it defines them, and that it ended: a
 * daemon that died in the middle of an import finds the names at its next start and undefines those it does not
 * run (libvirt runs them still: their takeovers never finished, and are given back), so nothing stays
 * half-imported and no such definition is autostarted against libvirt's running network.
 */
public interface ImportJournal {
    /** Nothing recorded: an import whose daemon cannot die under it (tests). */
    ImportJournal NONE = new ImportJournal() {
        @Override
        public void defining(List<String> networks) {
        }

        @Override
        public void ended() {
        }
    };

    /** Before the first definition: the networks this import is about to define. */
    void defining(List<String> networks);

    /** The import ended, done or undone: nothing of it is left to clean up. */
    void ended();
}
