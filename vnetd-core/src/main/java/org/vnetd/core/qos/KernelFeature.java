package org.vnetd.core.qos;

/** The kernel parts libvirt's traffic control uses, with the config option that builds each. */
public enum KernelFeature {
    HTB("the HTB qdisc", "CONFIG_NET_SCH_HTB", true),
    SFQ("the SFQ qdisc", "CONFIG_NET_SCH_SFQ", false),
    INGRESS("the ingress qdisc", "CONFIG_NET_SCH_INGRESS", true),
    U32("the u32 classifier", "CONFIG_NET_CLS_U32", true),
    FW("the fw (firewall mark) classifier", "CONFIG_NET_CLS_FW", false),
    POLICE("the police action", "CONFIG_NET_ACT_POLICE", true);

    private final String what;
    private final String config;
    private final boolean essential;

    KernelFeature(String what, String config, boolean essential) {
        this.what = what;
        this.config = config;
        this.essential = essential;
    }

    /** E.g. "the police action". */
    public String what() {
        return what;
    }

    /** E.g. {@code CONFIG_NET_ACT_POLICE}. */
    public String config() {
        return config;
    }

    /**
     * Whether the limits depend on it. SFQ (fairness between the flows inside one class) and the fw
     * filter (marked packets to the default class, where they go anyway) refine libvirt's layout; without
     * them the rates and floors still hold, so their absence is logged and recorded, not fatal.
     */
    public boolean essential() {
        return essential;
    }
}
