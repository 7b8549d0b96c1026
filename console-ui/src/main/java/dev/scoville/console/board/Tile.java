package dev.scoville.console.board;

import com.fasterxml.jackson.databind.JsonNode;
import dev.scoville.core.ConfigException;
import dev.scoville.core.ConfigFile;
import dev.scoville.rules.promql.PromQl;
import dev.scoville.rules.promql.PromQlException;
import dev.scoville.rules.promql.Query;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** A tile bound and checked: its expression parsed, its thresholds read. Immutable. */
public record Tile(String id, TileConfig config, Query query, Threshold warning, Threshold firing) {

  /**
   * Binds every tile of the section; a bad one is reported to {@code problems} with its {@code
   * file:line:column} and left out, the others still show.
   */
  public static List<Tile> load(ConfigFile file, BoardConfig board, Consumer<String> problems) {
    List<Tile> tiles = new ArrayList<>();
    for (int i = 0; i < board.tiles().size(); i++) {
      JsonNode node = board.tiles().get(i);
      try {
        TileConfig config = file.bind(node, TileConfig.class, "board", "tiles", i);
        tiles.add(bind(file, config, i));
      } catch (ConfigException e) {
        problems.accept(e.getMessage());
      }
    }
    return List.copyOf(tiles);
  }

  private static Tile bind(ConfigFile file, TileConfig config, int index) {
    String title = config.title();
    if (title == null || title.isBlank()) {
      throw new ConfigException(file.place("board", "tiles", index) + ": board.tiles[" + index + "]: a tile needs a title");
    }
    if (config.family() == null) {
      throw new ConfigException(file.place("board", "tiles", index) + ": tile '" + title
          + "': family is one of technical, business, ux, third_party");
    }
    if (config.expr() == null) {
      throw new ConfigException(file.place("board", "tiles", index) + ": tile '" + title + "' has no expr");
    }
    Query query;
    try {
      query = PromQl.parse(config.expr());
    } catch (PromQlException e) {
      throw new ConfigException(file.place("board", "tiles", index, "expr") + ": tile '" + title + "': " + e.getMessage());
    }
    Threshold warning = threshold(file, config.warning(), index, "warning", title);
    Threshold firing = threshold(file, config.firing(), index, "firing", title);
    return new Tile("tile-" + index, config, query, warning, firing);
  }

  private static Threshold threshold(ConfigFile file, String text, int index, String key, String title) {
    try {
      return Threshold.parse(text);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(file.place("board", "tiles", index, key) + ": tile '" + title + "': " + e.getMessage());
    }
  }

  public String title() {
    return config.title();
  }

  public TileConfig.Family family() {
    return config.family();
  }

  /** The thresholds drawn on the chart, firing first. */
  public List<Threshold> thresholds() {
    List<Threshold> all = new ArrayList<>(2);
    if (firing != null) {
      all.add(firing);
    }
    if (warning != null) {
      all.add(warning);
    }
    return all;
  }
}
