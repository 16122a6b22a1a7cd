package archway.cluster;

import archway.UserError;

/**
 * HOST:PORT of a cluster member, as given to {@code --join} / {@code --cluster}.
 *
 * @param host host name or IP address ([v6] in brackets)
 * @param port TCP port, 1..65535
 */
public record ClusterAddress(String host, int port) {
    public static ClusterAddress parse(String text, String flag) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new UserError(flag + " must be HOST:PORT (e.g. 10.0.0.5:5701), got '" + text + "'");
        }
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new UserError(flag + ": port must be a number, got '" + text.substring(colon + 1) + "'");
        }
        if (port < 1 || port > 65535) {
            throw new UserError(flag + ": port must be in 1..65535, got " + port);
        }
        return new ClusterAddress(text.substring(0, colon), port);
    }

    @Override
    public String toString() {
        return host + ":" + port;
    }
}
