package archway.cluster;

import com.hazelcast.instance.impl.DefaultNodeExtension;
import com.hazelcast.instance.impl.Node;
import com.hazelcast.internal.cluster.impl.JoinMessage;
import com.hazelcast.internal.cluster.impl.JoinRequest;

/**
 * Hazelcast's open-source edition authenticates nobody: any process that knows the cluster name may join.
 * The master runs this check on every join request and refuses a member whose attributes do not prove the
 * shared secret ({@link JoinToken}); Hazelcast then tells that member to shut down. This hooks Hazelcast's
 * internal node-extension API (pinned version in the pom); {@code ClusterSecurityTest} fails if it stops
 * refusing.
 */
final class SecretCheckingNodeExtension extends DefaultNodeExtension {
    private final String clusterName;
    private final byte[] secret;

    SecretCheckingNodeExtension(Node node, String clusterName, byte[] secret) {
        super(node);
        this.clusterName = clusterName;
        this.secret = secret;
    }

    @Override
    public void validateJoinRequest(JoinMessage message) {
        super.validateJoinRequest(message);
        if (message instanceof JoinRequest request && !JoinToken.verify(clusterName, secret, request.getAttributes())) {
            throw new SecurityException("refused member " + request.getAddress()
                    + ": it does not present the cluster secret");
        }
    }
}
