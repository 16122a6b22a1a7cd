/*
 * Builds data/fashion-mnist-mini/: a class-balanced, seeded subset of Fashion-MNIST (600 train and 100 test
 * images per class) as gzipped IDX files, the bundled default dataset of Archway.
 *
 *   java scripts/MakeFashionMnistMini.java [SOURCE_DIR [OUT_DIR [SEED]]]
 *
 * SOURCE_DIR defaults to /usr/share/datasets/fashion-mnist (Debian: apt-get install dataset-fashion-mnist),
 * OUT_DIR to data/fashion-mnist-mini, SEED to 20170825. The selection is deterministic: per class, a
 * java.util.SplittableRandom(SEED + class) shuffle of that class's indices picks the first k, and the chosen
 * images keep their original order. Java's GZIPOutputStream writes no timestamp, so the output is
 * byte-for-byte reproducible.
 */
import java.io.*;
import java.nio.file.*;
import java.security.MessageDigest;
import java.util.*;
import java.util.zip.*;

public class MakeFashionMnistMini {
    public static void main(String[] args) throws Exception {
        Path src = Path.of(args.length > 0 ? args[0] : "/usr/share/datasets/fashion-mnist");
        Path out = Path.of(args.length > 1 ? args[1] : "data/fashion-mnist-mini");
        long seed = args.length > 2 ? Long.parseLong(args[2]) : 20170825L;
        Files.createDirectories(out);
        subset(src, out, "train", 600, seed);
        subset(src, out, "t10k", 100, seed + 1000);
    }

    static void subset(Path src, Path out, String part, int perClass, long seed) throws Exception {
        byte[] img = read(src.resolve(part + "-images-idx3-ubyte.gz"));
        byte[] lab = read(src.resolve(part + "-labels-idx1-ubyte.gz"));
        if (be32(img, 0) != 0x803 || be32(lab, 0) != 0x801) throw new IOException(part + ": bad IDX magic");
        int n = be32(img, 4), rows = be32(img, 8), cols = be32(img, 12);
        if (be32(lab, 4) != n || img.length != 16 + n * rows * cols || lab.length != 8 + n)
            throw new IOException(part + ": inconsistent IDX files");
        List<List<Integer>> byClass = new ArrayList<>();
        for (int k = 0; k < 10; k++) byClass.add(new ArrayList<>());
        for (int i = 0; i < n; i++) byClass.get(lab[8 + i]).add(i);
        List<Integer> chosen = new ArrayList<>();
        for (int k = 0; k < 10; k++) {
            List<Integer> idx = byClass.get(k);
            SplittableRandom rnd = new SplittableRandom(seed + k);
            for (int i = idx.size() - 1; i > 0; i--) Collections.swap(idx, i, rnd.nextInt(i + 1));
            if (idx.size() < perClass) throw new IOException(part + ": class " + k + " has only " + idx.size());
            chosen.addAll(idx.subList(0, perClass));
        }
        Collections.sort(chosen);
        int m = chosen.size(), per = rows * cols;
        ByteArrayOutputStream ib = new ByteArrayOutputStream(), lb = new ByteArrayOutputStream();
        DataOutputStream id = new DataOutputStream(ib), ld = new DataOutputStream(lb);
        id.writeInt(0x803); id.writeInt(m); id.writeInt(rows); id.writeInt(cols);
        ld.writeInt(0x801); ld.writeInt(m);
        for (int i : chosen) { id.write(img, 16 + i * per, per); ld.write(lab[8 + i]); }
        write(out.resolve(part + "-images-idx3-ubyte.gz"), ib.toByteArray());
        write(out.resolve(part + "-labels-idx1-ubyte.gz"), lb.toByteArray());
        System.out.println(part + ": " + m + " images (" + perClass + " per class) of " + rows + "x" + cols);
    }

    static byte[] read(Path p) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(p))) { return in.readAllBytes(); }
    }

    static void write(Path p, byte[] data) throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(buf) {{ def.setLevel(Deflater.BEST_COMPRESSION); }}) {
            gz.write(data);
        }
        Files.write(p, buf.toByteArray());
        byte[] sha = MessageDigest.getInstance("SHA-256").digest(buf.toByteArray());
        System.out.println("  " + HexFormat.of().formatHex(sha) + "  " + p.getFileName());
    }

    static int be32(byte[] b, int o) {
        return (b[o] & 0xff) << 24 | (b[o + 1] & 0xff) << 16 | (b[o + 2] & 0xff) << 8 | (b[o + 3] & 0xff);
    }
}
