package archway.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archway.data.DataFormatException;
import archway.runtime.Backends;
import archway.runtime.Buffer;
import archway.runtime.BufferArena;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoint format 2: round trip, every damaged section named, old format refused. */
class CheckpointTest {
    /** More floats than the reader keeps on the heap, so the streamed path is exercised too. */
    static final int BIG = 400_000;

    static Checkpoint sample(BufferArena arena) {
        Buffer small = arena.allocate(5), big = arena.allocate(BIG);
        for (int i = 0; i < 5; i++) {
            small.set(i, i * 0.5f - 1);
        }
        for (int i = 0; i < BIG; i++) {
            big.set(i, (float) Math.sin(i));
        }
        return new Checkpoint().putString("config", "{\"a\": 1}").putFloats("state", small, 5)
                .putFloats("weights", big, BIG).putDoubles("progress", new double[] {3, 1.5});
    }

    @Test
    void roundTripKeepsEveryBit(@TempDir Path tmp) throws Exception {
        Path f = tmp.resolve("ck.bin");
        try (BufferArena arena = Backends.standard().arena()) {
            sample(arena).write(f);
            Checkpoint c = Checkpoint.read(f);
            assertEquals("{\"a\": 1}", c.getString("config"));
            assertArrayEquals(new double[] {3, 1.5}, c.getDoubles("progress", 2));
            Buffer w = arena.allocate(BIG), s = arena.allocate(5);
            c.getFloats("weights", w, BIG);
            c.getFloats("state", s, 5);
            for (int i = 0; i < BIG; i++) {
                assertEquals((float) Math.sin(i), w.get(i));
            }
            assertEquals(1.0f, s.get(4));
            assertThrows(DataFormatException.class, () -> c.getFloats("weights", w, BIG - 1));
        }
        assertEquals(java.util.List.of(), java.util.Arrays.stream(tmp.toFile().list()).filter(n -> n.endsWith(".tmp")).toList());
    }

    @Test
    void aFlippedByteInAnySectionIsNamed(@TempDir Path tmp) throws Exception {
        Path f = tmp.resolve("ck.bin");
        try (BufferArena arena = Backends.standard().arena()) {
            sample(arena).write(f);
        }
        byte[] good = Files.readAllBytes(f);
        Map<String, CheckpointFormat.Span> spans = CheckpointFormat.sections(good);
        assertEquals(java.util.List.of("config", "state", "weights", "progress", "(trailer)"), java.util.List.copyOf(spans.keySet()));
        for (Map.Entry<String, CheckpointFormat.Span> e : spans.entrySet()) {
            if (e.getKey().startsWith("(")) {
                continue;
            }
            for (long at : new long[] {e.getValue().offset(), e.getValue().offset() + e.getValue().length() - 1}) {
                byte[] bad = good.clone();
                bad[(int) at] ^= 0x10;
                Files.write(f, bad);
                DataFormatException x = assertThrows(DataFormatException.class, () -> Checkpoint.read(f));
                assertTrue(x.getMessage().contains("section '" + e.getKey() + "' fails its checksum"), x.getMessage());
            }
        }
        // The stored file checksum itself, and a section name (covered by the file checksum only).
        byte[] bad = good.clone();
        bad[(int) spans.get("(trailer)").offset() + 9] ^= 1;
        Files.write(f, bad);
        assertTrue(assertThrows(DataFormatException.class, () -> Checkpoint.read(f)).getMessage()
                .contains("fails the file checksum"));
        bad = good.clone();
        bad[(int) spans.get("config").offset() - 4 - 8 - 1] ^= 0x20; // last byte of the name "config"
        Files.write(f, bad);
        assertTrue(assertThrows(DataFormatException.class, () -> Checkpoint.read(f)).getMessage()
                .contains("fails the file checksum"));
        Files.write(f, java.util.Arrays.copyOf(good, good.length - 3));
        assertTrue(assertThrows(DataFormatException.class, () -> Checkpoint.read(f)).getMessage().contains("truncated"));
    }

    @Test
    void formatOneIsRefusedWithAClearMessage(@TempDir Path tmp) throws Exception {
        ByteBuffer b = ByteBuffer.allocate(12 + 8 + 4 + 6 + 8 + 2).order(ByteOrder.LITTLE_ENDIAN);
        b.put("ARCHWAY-CKPT".getBytes(StandardCharsets.US_ASCII)).putInt(1).putInt(1)
                .putInt(6).put("config".getBytes(StandardCharsets.US_ASCII)).putLong(2).put("{}".getBytes(StandardCharsets.US_ASCII));
        Path f = tmp.resolve("old.bin");
        Files.write(f, b.array());
        String m = assertThrows(DataFormatException.class, () -> Checkpoint.read(f)).getMessage();
        assertTrue(m.contains("format 1") && m.contains("without checksums"), m);
    }
}
