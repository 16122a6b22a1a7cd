package archway.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;

/**
 * The second line of the secret check: every member looks at every member it sees (at start and whenever
 * one joins). Should one without a valid proof ever appear (e.g. this member joined a cluster whose master
 * does not check), this member leaves at once rather than share trials with it.
 */
final class MembershipGuard implements MembershipListener {
    private final HazelcastInstance hz;
    private final ClusterOptions options;

    private MembershipGuard(HazelcastInstance hz, ClusterOptions options) {
        this.hz = hz;
        this.options = options;
    }

    static void install(HazelcastInstance hz, ClusterOptions options) {
        MembershipGuard guard = new MembershipGuard(hz, options);
        hz.getCluster().addMembershipListener(guard);
        hz.getCluster().getMembers().forEach(guard::check);
    }

    private void check(Member m) {
        if (!JoinToken.verify(options.name(), options.secret(), m.getAttributes())) {
            System.err.println("cluster: member " + m.getAddress() + " does not present the cluster secret; leaving");
            new Thread(hz::shutdown, "cluster-guard-shutdown").start();
        }
    }

    @Override
    public void memberAdded(MembershipEvent event) {
        check(event.getMember());
    }

    @Override
    public void memberRemoved(MembershipEvent event) {
    }
}
