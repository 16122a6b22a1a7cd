package archway.runtime;

import archway.UserError;

/**
 * The device a run asks for with {@code --device}: {@code cpu}, {@code cuda} (device 0) or
 * {@code cuda:N}. Parsing is strict: anything else is a user error naming the accepted forms.
 */
public record DeviceChoice(Kind kind, int index) {
    /** Which backend family. */
    public enum Kind { CPU, CUDA }

    public static final DeviceChoice CPU = new DeviceChoice(Kind.CPU, 0);

    public DeviceChoice {
        if (index < 0 || (kind == Kind.CPU && index != 0)) {
            throw new IllegalArgumentException("bad device index " + index + " for " + kind);
        }
    }

    /** Parses a {@code --device} value. */
    public static DeviceChoice parse(String text) {
        String s = text == null ? "" : text.trim();
        if (s.equals("cpu")) {
            return CPU;
        }
        if (s.equals("cuda")) {
            return new DeviceChoice(Kind.CUDA, 0);
        }
        if (s.startsWith("cuda:")) {
            String n = s.substring("cuda:".length());
            if (!n.isEmpty() && n.length() <= 3 && n.chars().allMatch(Character::isDigit)) {
                return new DeviceChoice(Kind.CUDA, Integer.parseInt(n));
            }
        }
        throw new UserError("unknown --device '" + text + "' (known: cpu, cuda, cuda:N with N a device index)");
    }

    /** The canonical spelling, as config.json records it and {@link Backend#name()} reports it. */
    @Override
    public String toString() {
        return kind == Kind.CPU ? "cpu" : "cuda:" + index;
    }
}
