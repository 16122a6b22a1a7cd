package archway.evo;

import archway.UserError;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * A search's checkpoint: the {@link SearchState} as JSON, written atomically (temporary file, fsync, rename) after
 * the initial design and after every iteration, so a killed search resumes from its last complete iteration.
 */
public final class SearchStateFile {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private SearchStateFile() {
    }

    public static String toJson(SearchState state) {
        try {
            return JSON.writeValueAsString(state);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the search state as JSON", e);
        }
    }

    public static SearchState fromJson(String json) {
        try {
            return JSON.readValue(json, SearchState.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a search state: " + e.getOriginalMessage(), e);
        }
    }

    public static void write(Path file, SearchState state) {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(tmp, toJson(state), StandardCharsets.UTF_8);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write search checkpoint " + file, e);
        }
    }

    /** @throws UserError when the file is missing or is not a search state */
    public static SearchState read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UserError("cannot read search checkpoint " + file + ": " + e.getMessage(), e);
        }
        try {
            return fromJson(text);
        } catch (IllegalArgumentException e) {
            throw new UserError("search checkpoint " + file + " is damaged: " + e.getMessage(), e);
        }
    }
}
