package archway.evo;

import java.util.function.Supplier;
import org.uma.jmetal.util.pseudorandom.JMetalRandom;
import org.uma.jmetal.util.pseudorandom.PseudoRandomGenerator;
import org.uma.jmetal.util.pseudorandom.impl.JavaRandomGenerator;

/**
 * jMetal's operators draw from one process-wide generator ({@link JMetalRandom}). To keep a seeded search
 * reproducible while other searches run in the same JVM, every use of jMetal's random operators goes through
 * here: under one lock, with the global generator replaced by a freshly seeded one and restored afterwards.
 */
public final class JMetalRandomScope {
    private static final Object LOCK = new Object();

    private JMetalRandomScope() {
    }

    public static <T> T withSeed(long seed, Supplier<T> body) {
        synchronized (LOCK) {
            JMetalRandom global = JMetalRandom.getInstance();
            PseudoRandomGenerator previous = global.getRandomGenerator();
            global.setRandomGenerator(new JavaRandomGenerator(seed));
            try {
                return body.get();
            } finally {
                global.setRandomGenerator(previous);
            }
        }
    }
}
