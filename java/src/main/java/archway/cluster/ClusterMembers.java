package archway.cluster;

import archway.UserError;
import com.hazelcast.cluster.Member;
import com.hazelcast.config.AdvancedNetworkConfig;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.ServerSocketEndpointConfig;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.instance.impl.HazelcastInstanceFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Starts this JVM's Hazelcast member. The configuration is closed by default: TCP-IP join to the one given
 * address (no multicast, no cloud auto-detection), a single member endpoint on the given interface (no
 * client, REST or memcache protocol listens anywhere), phone-home off, join requests checked for the shared
 * secret, and every present member checked for it too ({@link MembershipGuard}).
 */
public final class ClusterMembers {
    /** Keeps Hazelcast's INFO chatter off the console; warnings and errors still show. */
    private static final Logger HAZELCAST_LOG = Logger.getLogger("com.hazelcast");
    private static final Logger HAZELCAST_SECURITY_LOG = Logger.getLogger("com.hazelcast.security");
    private static final String REFUSAL = "Reason of failure for node join: ";
    /** Connection resets when a member leaves are expected here; membership changes are reported by Archway. */
    private static final Logger HAZELCAST_TCP_LOG = Logger.getLogger("com.hazelcast.internal.server.tcp");

    private ClusterMembers() {
    }

    /** Starts a member of {@code role}; a refused join or an occupied port is a {@link UserError}. */
    public static HazelcastInstance start(ClusterOptions o, ClusterRole role) {
        Config c = config(o, role);
        HazelcastInstance hz;
        // Quiet while joining: a refused member would print Hazelcast's stack traces; the refusal reason, which
        // Hazelcast logs on "com.hazelcast.security", goes into the one error line instead.
        List<String> refusals = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord r) {
                String m = r.getMessage();
                int at = m == null ? -1 : m.indexOf(REFUSAL);
                if (at >= 0) {
                    refusals.add(m.substring(at + REFUSAL.length()));
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        HAZELCAST_LOG.setLevel(Level.OFF);
        HAZELCAST_SECURITY_LOG.setLevel(Level.SEVERE);
        HAZELCAST_SECURITY_LOG.setUseParentHandlers(false);
        HAZELCAST_SECURITY_LOG.addHandler(capture);
        try {
            hz = HazelcastInstanceFactory.newHazelcastInstance(c, "archway-" + role.name().toLowerCase() + "-"
                    + UUID.randomUUID(), new SecretCheckingNodeContext(o.name(), o.secret()));
        } catch (RuntimeException e) {
            throw new UserError(refusals.isEmpty() ? "could not join the cluster at " + o.join() + ": " + e.getMessage()
                    : "could not join the cluster at " + o.join() + ": " + refusals.getFirst()
                    + " (give every member the same --cluster-secret or $" + ClusterOptions.SECRET_ENV + ")", e);
        } finally {
            HAZELCAST_SECURITY_LOG.removeHandler(capture);
            HAZELCAST_SECURITY_LOG.setUseParentHandlers(true);
            HAZELCAST_SECURITY_LOG.setLevel(null);
            HAZELCAST_LOG.setLevel(Level.WARNING);
            HAZELCAST_TCP_LOG.setLevel(Level.SEVERE);
        }
        MembershipGuard.install(hz, o);
        if (!sameMember(o.join(), hz.getCluster().getLocalMember()) && !hasMemberAt(hz, o.join())) {
            hz.shutdown();
            throw new UserError("no cluster member answered at " + o.join() + " with cluster name '" + o.name()
                    + "' (is a worker running there, with the same --cluster-name?)");
        }
        return hz;
    }

    static Config config(ClusterOptions o, ClusterRole role) {
        Config c = new Config();
        c.setClusterName(o.name());
        c.setLiteMember(role == ClusterRole.COORDINATOR);
        c.setProperty("hazelcast.phone.home.enabled", "false");
        c.setProperty("hazelcast.logging.type", "jdk");
        c.setProperty("hazelcast.socket.bind.any", "false");
        c.setProperty("hazelcast.shutdownhook.enabled", "false");
        // A killed worker is declared gone within seconds (its leases are then re-queued at once).
        c.setProperty("hazelcast.heartbeat.interval.seconds", "1");
        c.setProperty("hazelcast.max.no.heartbeat.seconds", "10");
        c.setProperty("hazelcast.wait.seconds.before.join", "1");
        c.setProperty("hazelcast.max.wait.seconds.before.join", "2");
        // A coordinator started before its workers merges into their cluster once they are up.
        c.setProperty("hazelcast.merge.first.run.delay.seconds", "5");
        c.setProperty("hazelcast.merge.next.run.delay.seconds", "5");
        c.getJetConfig().setEnabled(false);
        c.getMemberAttributeConfig().setAttributes(JoinToken.attributes(o.name(), o.secret(), role));

        AdvancedNetworkConfig net = c.getAdvancedNetworkConfig().setEnabled(true);
        JoinConfig join = net.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        // generous: on a loaded machine a member may take seconds to answer, and a member that hears nothing
        // starts a cluster of its own instead of joining
        join.getTcpIpConfig().setEnabled(true).setConnectionTimeoutSeconds(10).setMembers(List.of(o.join().toString()));
        ServerSocketEndpointConfig member = new ServerSocketEndpointConfig();
        member.setPort(o.port()).setPortAutoIncrement(o.autoIncrement()).setPortCount(100);
        member.getInterfaces().setEnabled(true).addInterface(o.bind());
        net.setMemberEndpointConfig(member);
        return c;
    }

    /** Whether {@code member} listens at {@code address}. */
    static boolean sameMember(ClusterAddress address, Member member) {
        try {
            InetAddress wanted = InetAddress.getByName(address.host());
            return member.getAddress().getPort() == address.port()
                    && member.getAddress().getInetAddress().equals(wanted);
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static boolean hasMemberAt(HazelcastInstance hz, ClusterAddress address) {
        return hz.getCluster().getMembers().stream().anyMatch(m -> sameMember(address, m));
    }
}
