/**
 * Names and addresses vnetd invents the way libvirt does: bridge names ({@code virbrN}, or a network's
 * own {@code %d} template), tap names ({@code vnetN}), a tap's MAC derived from its guest's, random
 * {@code 52:54:00} MACs. Pure functions over what is already in use; the caller supplies the predicates.
 */
package org.vnetd.core.alloc;
