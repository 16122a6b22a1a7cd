package archway.cluster;

import com.hazelcast.instance.impl.DefaultNodeContext;
import com.hazelcast.instance.impl.Node;
import com.hazelcast.instance.impl.NodeExtension;

/** Builds members whose node extension refuses joins without the shared secret. */
final class SecretCheckingNodeContext extends DefaultNodeContext {
    private final String clusterName;
    private final byte[] secret;

    SecretCheckingNodeContext(String clusterName, byte[] secret) {
        this.clusterName = clusterName;
        this.secret = secret;
    }

    @Override
    public NodeExtension createNodeExtension(Node node) {
        return new SecretCheckingNodeExtension(node, clusterName, secret);
    }
}
