package org.vnetd.daemon.driver;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.vnetd.core.link.LinkBackend;
import org.vnetd.core.link.LinkRef;

/** define's bridge-name choice asks {@code linkExists} once per define: it must not queue behind RTNL. */
class NetlinkKernelObserverTest {
    @Test
    void linkExistsAsksTheLookupThatTakesNoRtnl() {
        Set<String> present = Set.of("virbr0");
        LinkBackend links = (LinkBackend) Proxy.newProxyInstance(LinkBackend.class.getClassLoader(), new Class<?>[] {LinkBackend.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "linkRef" -> present.contains((String) args[0]) ? Optional.of(new LinkRef(7, (String) args[0], 1500)) : Optional.empty();
                    default -> throw new AssertionError(method.getName() + " asked: an RTM_GETLINK or a dump waits for RTNL");
                });
        NetlinkKernelObserver observer = new NetlinkKernelObserver(links, pf -> java.util.List.of());
        assertTrue(observer.linkExists("virbr0"));
        assertFalse(observer.linkExists("virbr1"));
    }
}
