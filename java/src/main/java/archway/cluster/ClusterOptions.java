package archway.cluster;

import archway.UserError;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;

/**
 * How one member joins the cluster: the member it contacts first, the interface and port it listens on, the
 * cluster name and the shared secret every member must prove it knows.
 *
 * @param join          a member to contact (for the first worker: its own address)
 * @param bind          IP address of the interface this member listens on (never the wildcard by default)
 * @param port          port to listen on
 * @param autoIncrement try the next ports when {@code port} is taken (several members on one machine)
 * @param name          cluster name; members with another name are a different cluster
 * @param secret        shared secret (UTF-8 bytes), at least {@link #MIN_SECRET_LENGTH} characters
 */
public record ClusterOptions(ClusterAddress join, String bind, int port, boolean autoIncrement, String name,
                             byte[] secret) {
    public static final String SECRET_ENV = "ARCHWAY_CLUSTER_SECRET";
    public static final String DEFAULT_BIND = "127.0.0.1";
    public static final String DEFAULT_NAME = "archway";
    public static final int DEFAULT_PORT = 5701;
    public static final int MIN_SECRET_LENGTH = 8;

    /**
     * Validated options: {@code secret} falls back to $ARCHWAY_CLUSTER_SECRET; a loopback bind with a remote
     * join address is refused (the other members could not connect back).
     */
    public static ClusterOptions of(ClusterAddress join, String bind, Integer port, String name, String secret) {
        String s = secret != null ? secret : System.getenv(SECRET_ENV);
        if (s == null || s.isEmpty()) {
            throw new UserError("the cluster needs a shared secret: --cluster-secret S or the environment variable "
                    + SECRET_ENV + " (the same on every member)");
        }
        if (s.length() < MIN_SECRET_LENGTH) {
            throw new UserError("the cluster secret must have at least " + MIN_SECRET_LENGTH + " characters");
        }
        if (name == null || name.isBlank()) {
            throw new UserError("--cluster-name must not be empty");
        }
        InetAddress bindAddress;
        try {
            bindAddress = InetAddress.ofLiteral(bind);
        } catch (IllegalArgumentException e) {
            throw new UserError("--bind must be an IP address of this machine (e.g. 127.0.0.1 or 10.0.0.5), got '"
                    + bind + "'");
        }
        if (bindAddress.isAnyLocalAddress()) {
            throw new UserError("--bind " + bind + " would listen on every interface; give the one address to use");
        }
        if (bindAddress.isLoopbackAddress() && !isLoopback(join.host())) {
            throw new UserError("--bind " + bind + " is a loopback address but " + join + " is another machine, which"
                    + " could not connect back; give --bind this machine's address on that network");
        }
        if (port != null && (port < 1 || port > 65535)) {
            throw new UserError("--port must be in 1..65535, got " + port);
        }
        return new ClusterOptions(join, bind, port != null ? port : DEFAULT_PORT, port == null, name,
                s.getBytes(StandardCharsets.UTF_8));
    }

    private static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            throw new UserError("unknown host '" + host + "'");
        }
    }
}
