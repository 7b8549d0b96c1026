package dev.scoville.console.board;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;

/**
 * {@code board}: the tiles of the war-room board. Tiles stay unbound here so that one bad tile is
 * reported at its place and the others still show.
 *
 * @param window how far back each tile's trend chart reaches
 * @param staleAfter a tile whose newest sample is older than this shows {@code stale}
 */
public record BoardConfig(Duration window, Duration staleAfter, List<JsonNode> tiles) {
  public BoardConfig {
    window = window == null ? Duration.ofMinutes(30) : window;
    staleAfter = staleAfter == null ? Duration.ofMinutes(1) : staleAfter;
    tiles = tiles == null ? List.of() : List.copyOf(tiles);
  }

  public static BoardConfig none() {
    return new BoardConfig(null, null, null);
  }
}
