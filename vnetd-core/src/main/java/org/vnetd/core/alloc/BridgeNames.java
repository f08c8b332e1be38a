package org.vnetd.core.alloc;

import java.util.Objects;
import java.util.function.Predicate;

import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;
import org.vnetd.core.link.LinkNames;

/**
 * Picks a bridge name for a network that has none, or a template such as {@code br-%d}, the way
 * libvirt does (networkFindUnusedBridgeName): ids 0..{@value #MAX_ID} in order, skipping names used
 * by another defined network and names of links that already exist.
 */
public final class BridgeNames {
    /** libvirt's MAX_BRIDGE_ID. */
    public static final int MAX_ID = 256;
    public static final String DEFAULT_TEMPLATE = "virbr%d";

    private BridgeNames() {
    }

    /** True if {@code name} is a template libvirt would expand: exactly one {@code %}, followed by {@code d}. */
    public static boolean isTemplate(String name) {
        if (name == null) {
            return false;
        }
        int p = name.indexOf('%');
        return p >= 0 && p == name.lastIndexOf('%') && p + 1 < name.length() && name.charAt(p + 1) == 'd';
    }

    /**
     * The first free name for {@code requested} (null, a template, or a plain name that is returned as-is
     * because it needs no allocation). {@code usedByNetworks} says whether another defined network claims
     * the name; {@code linkExists} whether a link of that name is present in the kernel.
     */
    public static String firstFree(String requested, Predicate<String> usedByNetworks, Predicate<String> linkExists) {
        Objects.requireNonNull(usedByNetworks, "usedByNetworks");
        Objects.requireNonNull(linkExists, "linkExists");
        if (requested != null && !requested.isEmpty() && requested.indexOf('%') < 0) {
            return LinkNames.check(requested);
        }
        if (requested != null && !requested.isEmpty() && !isTemplate(requested)) {
            throw VnetException.of(ErrorCode.XML_VALIDATION,
                    "bridge name template '%s' must contain exactly one '%%d' and no other '%%'", requested);
        }
        String template = isTemplate(requested) ? requested : DEFAULT_TEMPLATE;
        int p = template.indexOf("%d");
        String head = template.substring(0, p);
        String tail = template.substring(p + 2);
        for (int id = 0; id <= MAX_ID; id++) {
            String name = head + id + tail;
            if (name.length() > LinkNames.MAX_LENGTH) {
                throw VnetException.of(ErrorCode.XML_VALIDATION,
                        "bridge name template '%s' gives '%s', longer than %d characters", template, name, LinkNames.MAX_LENGTH);
            }
            if (!usedByNetworks.test(name) && !linkExists.test(name)) {
                return LinkNames.check(name);
            }
        }
        throw VnetException.of(ErrorCode.CONFLICT, "no free bridge name for template '%s': ids 0-%d are all in use",
                template, MAX_ID);
    }
}
