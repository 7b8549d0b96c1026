package dev.scoville.console.board;

/**
 * Where a tile stands. Never blank, and never ok without fresh data. Each state has a shape as
 * well as a colour, so that it reads without colour too.
 */
public enum TileState {
  FIRING("firing", "▲"),
  WARNING("warning", "◆"),
  STALE("stale", "◌"),
  NO_DATA("no data", "○"),
  OK("ok", "●");

  private final String text;
  private final String shape;

  TileState(String text, String shape) {
    this.text = text;
    this.shape = shape;
  }

  public String text() {
    return text;
  }

  public String shape() {
    return shape;
  }
}
