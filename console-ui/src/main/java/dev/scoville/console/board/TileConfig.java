package dev.scoville.console.board;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One tile as written in {@code board.tiles[]}.
 *
 * @param expr the PromQL expression whose value the tile shows; several series show side by side
 * @param unit how values read: {@code ratio} (shown as a percentage), {@code seconds}, {@code
 *     euros}, or any text appended to the number, such as {@code /s}
 * @param warning a threshold such as {@code "> 0.6"}: crossing it turns the tile to warning
 * @param firing a threshold such as {@code "< 0.95"}: crossing it turns the tile to firing
 * @param rule a rule the tile mirrors: while it has an open incident the tile shows firing
 * @param legend the label naming each series of the tile (default: the labels that differ)
 */
public record TileConfig(
    String title,
    Family family,
    String expr,
    String unit,
    String warning,
    String firing,
    String rule,
    String legend) {

  /** The four signal families the board shows, in this order. */
  public enum Family {
    @JsonProperty("technical")
    TECHNICAL("Technical"),
    @JsonProperty("business")
    BUSINESS("Business"),
    @JsonProperty("ux")
    UX("User experience"),
    @JsonProperty("third_party")
    THIRD_PARTY("Third parties");

    private final String title;

    Family(String title) {
      this.title = title;
    }

    public String title() {
      return title;
    }
  }
}
