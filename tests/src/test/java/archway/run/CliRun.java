package archway.run;

import archway.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The CLI run in this JVM with stdout and stderr captured, and the same CLI as a child JVM. */
record CliRun(int code, String out, String err) {
    static final String ARCH = "333313";
    /** A training run of a few seconds: 2 channels, 1 cell, 64 images. */
    static final List<String> TINY_TRAIN = List.of("train", "--arch", ARCH, "--channels", "2", "--cells", "1",
            "--batch", "32", "--train-limit", "64", "--threads", "1", "--seed", "5");

    static CliRun run(List<String> args) {
        PrintStream out = System.out, err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            int code = Main.run(args.toArray(new String[0]));
            return new CliRun(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    static CliRun run(String... args) {
        return run(List.of(args));
    }

    /** The tiny training run for {@code epochs} into {@code out}; {@code more} adds or replaces options. */
    static List<String> train(int epochs, Path out, String... more) {
        java.util.LinkedHashMap<String, String> opts = new java.util.LinkedHashMap<>();
        List<String> base = new ArrayList<>(TINY_TRAIN.subList(1, TINY_TRAIN.size()));
        base.addAll(List.of("--epochs", String.valueOf(epochs)));
        if (out != null) {
            base.addAll(List.of("--out", out.toString()));
        }
        base.addAll(List.of(more));
        for (int i = 0; i < base.size(); i++) {
            boolean hasValue = i + 1 < base.size() && !base.get(i + 1).startsWith("--");
            opts.put(base.get(i), hasValue ? base.get(++i) : null);
        }
        List<String> a = new ArrayList<>(List.of("train"));
        opts.forEach((k, v) -> {
            a.add(k);
            if (v != null) {
                a.add(v);
            }
        });
        return a;
    }

    /** A child JVM running the CLI with {@code args} in {@code cwd}, output to {@code log}. */
    static Process child(List<String> args, Path cwd, Path log, String... jvmOptions) throws java.io.IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(List.of(jvmOptions));
        cmd.addAll(List.of("--enable-native-access=ALL-UNNAMED", "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
                "-Darchway.native.dir=" + System.getProperty("archway.native.dir"),
                "-Darchway.repo.root=" + System.getProperty("archway.repo.root"),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(args);
        return new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** The error output is exactly one "error:" line (no stack trace). */
    boolean oneErrorLine() {
        List<String> lines = err.lines().filter(l -> !l.startsWith("note:") && !l.startsWith("warning:")).toList();
        return code == 2 && lines.size() == 1 && lines.get(0).startsWith("error: ");
    }
}
