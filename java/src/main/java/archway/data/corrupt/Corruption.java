package archway.data.corrupt;

import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The 15 corruptions of the OOD benchmark (after Hendrycks and Dietterich's CIFAR-10-C, our own deterministic
 * implementation), each at severities 1..5. Works on grey (1 channel) and RGB (3 channel) images.
 */
public enum Corruption {
    GAUSSIAN_NOISE(Family.NOISE, NoiseCorruptions::gaussian),
    SHOT_NOISE(Family.NOISE, NoiseCorruptions::shot),
    IMPULSE_NOISE(Family.NOISE, NoiseCorruptions::impulse),
    DEFOCUS_BLUR(Family.BLUR, BlurCorruptions::defocus),
    GLASS_BLUR(Family.BLUR, BlurCorruptions::glass),
    MOTION_BLUR(Family.BLUR, BlurCorruptions::motion),
    ZOOM_BLUR(Family.BLUR, BlurCorruptions::zoom),
    SNOW(Family.WEATHER, WeatherCorruptions::snow),
    FROST(Family.WEATHER, WeatherCorruptions::frost),
    FOG(Family.WEATHER, WeatherCorruptions::fog),
    BRIGHTNESS(Family.DIGITAL, DigitalCorruptions::brightness),
    CONTRAST(Family.DIGITAL, DigitalCorruptions::contrast),
    ELASTIC(Family.DIGITAL, DigitalCorruptions::elastic),
    PIXELATE(Family.DIGITAL, DigitalCorruptions::pixelate),
    JPEG(Family.DIGITAL, DigitalCorruptions::jpeg);

    public static final int SEVERITIES = 5;

    public enum Family { NOISE, BLUR, WEATHER, DIGITAL }

    @FunctionalInterface
    interface Transform {
        FloatImage apply(FloatImage img, int severity, SplittableRandom rng);
    }

    private final Family family;
    private final Transform transform;

    Corruption(Family family, Transform transform) {
        this.family = family;
        this.transform = transform;
    }

    public Family family() {
        return family;
    }

    /** Lower-case name as in CIFAR-10-C ("gaussian_noise", ..., "elastic_transform" is "elastic"). */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The corrupted image; the input is not modified. Random draws come from a stream derived from
     * (seed, corruption, imageKey) only, not from the severity, so the five severities of one image share their
     * noise and differ only in strength.
     */
    public FloatImage apply(FloatImage img, int severity, long seed, long imageKey) {
        if (severity < 1 || severity > SEVERITIES) {
            throw new IllegalArgumentException("severity must be 1.." + SEVERITIES + ", got " + severity);
        }
        if (img.channels() != 1 && img.channels() != 3) {
            throw new IllegalArgumentException(id() + ": images must have 1 or 3 channels, got " + img.channels());
        }
        long s = seed * 0x9E37_79B9_7F4A_7C15L + ordinal() * 0xBF58_476D_1CE4_E5B9L + imageKey * 0x94D0_49BB_1331_11EBL;
        return transform.apply(img, severity, new SplittableRandom(s));
    }
}
