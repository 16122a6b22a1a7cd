package archway.run;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An independent reader of the checkpoint layout as the README describes it (magic, version, count;
 * per section name length, name, byte length, CRC32C, bytes; trailer): where each section's bytes lie,
 * so tests can damage exactly one of them.
 */
final class CheckpointFormat {
    record Span(long offset, long length) {
    }

    private CheckpointFormat() {
    }

    static Map<String, Span> sections(byte[] file) {
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        b.position(12);
        int version = b.getInt();
        if (version != 2) {
            throw new IllegalStateException("layout version " + version);
        }
        int count = b.getInt();
        Map<String, Span> out = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            byte[] name = new byte[b.getInt()];
            b.get(name);
            long len = b.getLong();
            b.getInt();
            out.put(new String(name, StandardCharsets.UTF_8), new Span(b.position(), len));
            b.position(b.position() + (int) len);
        }
        out.put("(trailer)", new Span(b.position(), file.length - b.position()));
        return out;
    }
}
