package dev.scoville.collector;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A file of targets in the shape of Prometheus's file-based discovery: a YAML or JSON list of
 * groups, each with target URLs and labels for all of them.
 */
final class TargetFile {
  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory()).enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  record Group(List<URI> targets, Map<String, String> labels) {
    Group {
      targets = targets == null ? List.of() : List.copyOf(targets);
      labels = labels == null ? Map.of() : Map.copyOf(labels);
    }
  }

  private TargetFile() {}

  /** Reads the groups; a bad file throws with {@code file:line:column: reason}. Blocks. */
  static List<Group> read(Path file) throws IOException {
    try {
      Group[] groups = YAML.readValue(Files.readString(file), Group[].class);
      return groups == null ? List.of() : List.of(groups);
    } catch (JsonProcessingException e) {
      String where = e.getLocation() == null ? "" : ":" + e.getLocation().getLineNr() + ":" + e.getLocation().getColumnNr();
      throw new IOException(file + where + ": " + e.getOriginalMessage().lines().findFirst().orElse("invalid"), e);
    }
  }
}
