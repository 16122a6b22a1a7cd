package archway.data;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One NumPy {@code .npy} array (format versions 1, 2 and 3): dtype string, shape, and the raw C-order data.
 * Only what MedMNIST uses is accepted: little-endian or byte-sized integer dtypes, C order.
 */
record NpyArray(String dtype, long[] shape, byte[] data) {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final int MAX_HEADER = 1 << 16;
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    /** Number of elements. */
    long count() {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    /**
     * Parses one array from {@code in}.
     *
     * @param where     "file.npz:train_images.npy", for messages
     * @param entrySize the archive's declared uncompressed size, or -1 when unknown; checked against the
     *                  header before the data buffer is sized
     * @param maxBytes  the most data the enclosing file can possibly hold (after decompression)
     */
    static NpyArray read(InputStream in, long entrySize, long maxBytes, java.nio.file.Path file, String where) {
        try {
            byte[] pre = new byte[10];
            int got = BoundedReads.readUpTo(in, pre, 0, 8);
            if (got < 8) {
                throw new DataFormatException(where + ": truncated: " + got + " bytes, too short for a .npy header");
            }
            for (int i = 0; i < MAGIC.length; i++) {
                if (pre[i] != MAGIC[i]) {
                    throw new DataFormatException(where + ": wrong magic, not a .npy array");
                }
            }
            int major = pre[6] & 0xff;
            long headerLen;
            int prefix;
            if (major == 1) {
                if (BoundedReads.readUpTo(in, pre, 8, 2) < 2) {
                    throw new DataFormatException(where + ": truncated .npy header");
                }
                headerLen = (pre[8] & 0xff) | (pre[9] & 0xff) << 8;
                prefix = 10;
            } else if (major == 2 || major == 3) {
                byte[] len = new byte[4];
                if (BoundedReads.readUpTo(in, len, 0, 4) < 4) {
                    throw new DataFormatException(where + ": truncated .npy header");
                }
                headerLen = (len[0] & 0xffL) | (len[1] & 0xffL) << 8 | (len[2] & 0xffL) << 16 | (len[3] & 0xffL) << 24;
                prefix = 12;
            } else {
                throw new DataFormatException(where + ": unsupported .npy format version " + major);
            }
            if (headerLen > MAX_HEADER) {
                throw new DataFormatException(where + ": .npy header length " + headerLen + " is implausibly large");
            }
            byte[] hb = new byte[(int) headerLen];
            if (BoundedReads.readUpTo(in, hb, 0, hb.length) < hb.length) {
                throw new DataFormatException(where + ": truncated .npy header");
            }
            String header = new String(hb, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
            Matcher descr = DESCR.matcher(header);
            Matcher fortran = FORTRAN.matcher(header);
            Matcher shapeM = SHAPE.matcher(header);
            if (!descr.find() || !fortran.find() || !shapeM.find()) {
                throw new DataFormatException(where + ": malformed .npy header " + header.strip());
            }
            if (fortran.group(1).equals("True")) {
                throw new DataFormatException(where + ": Fortran-order arrays are not supported");
            }
            String dtype = descr.group(1);
            int item = itemSize(dtype, where);
            long[] shape = parseShape(shapeM.group(1), where);
            long count = 1;
            for (long d : shape) {
                count = Math.multiplyExact(count, d);
            }
            long bytes = Math.multiplyExact(count, (long) item);
            String what = "shape " + shapeText(shape) + " of " + dtype;
            if (entrySize >= 0 && entrySize != prefix + headerLen + bytes) {
                throw new DataFormatException(where + ": counts disagree with the entry length: header says " + what
                        + " (" + bytes + " bytes of data) but the archive entry holds " + (entrySize - prefix - headerLen));
            }
            if (bytes > maxBytes) {
                throw new DataFormatException(where + ": truncated or corrupt header: " + what + " (" + bytes
                        + " bytes) cannot fit in the archive");
            }
            byte[] data = BoundedReads.readExactly(in, bytes, file, what + " in " + where);
            BoundedReads.expectEnd(in, file, what + " in " + where);
            return new NpyArray(dtype, shape, data);
        } catch (ArithmeticException e) {
            throw new DataFormatException(where + ": .npy shape overflows");
        } catch (java.io.IOException e) {
            throw BoundedReads.fail(file, e);
        }
    }

    private static int itemSize(String dtype, String where) {
        return switch (dtype) {
            case "|u1", "<u1", "u1", "|i1" -> 1;
            case "<i4", "<u4" -> 4;
            case "<i8", "<u8" -> 8;
            default -> throw new DataFormatException(where + ": unsupported dtype '" + dtype
                    + "' (expected |u1 images and |u1, <i4 or <i8 labels)");
        };
    }

    private static long[] parseShape(String text, String where) {
        String t = text.strip();
        if (t.isEmpty()) {
            return new long[0];
        }
        String[] parts = t.split(",");
        int n = parts.length;
        if (parts[n - 1].isBlank()) {
            n--; // trailing comma of a 1-tuple "(5,)"
        }
        long[] shape = new long[n];
        for (int i = 0; i < n; i++) {
            try {
                shape[i] = Long.parseLong(parts[i].strip().replace("L", ""));
            } catch (NumberFormatException e) {
                throw new DataFormatException(where + ": malformed .npy shape (" + text + ")");
            }
            if (shape[i] < 0) {
                throw new DataFormatException(where + ": negative dimension in .npy shape (" + text + ")");
            }
        }
        return shape;
    }

    static String shapeText(long[] shape) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(shape[i]);
        }
        return sb.append(shape.length == 1 ? ",)" : ")").toString();
    }

    /** Element i as a long (integer dtypes only; unsigned 8-byte values above Long.MAX_VALUE read negative). */
    long integerAt(long i) {
        int item = itemSize(dtype, "");
        int off = (int) (i * item);
        if (item == 1) {
            return dtype.equals("|i1") ? data[off] : data[off] & 0xff;
        }
        long v = 0;
        for (int b = item - 1; b >= 0; b--) {
            v = v << 8 | (data[off + b] & 0xff);
        }
        if (item == 4 && dtype.startsWith("<i")) {
            v = (int) v;
        }
        return v;
    }
}
