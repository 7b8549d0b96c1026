package dev.scoville.collector.exposition;

import dev.scoville.core.Labels;
import java.util.Arrays;

/**
 * The labels of one line as they are read, turned into sorted {@link Labels} at the end of it.
 * Reused from line to line; it sorts only when the input was not already in order, which exporters
 * usually ensure.
 */
final class LabelCollector {
  private String[] names = new String[16];
  private String[] values = new String[16];
  private int[] positions = new int[16];
  private int[] order = new int[16];
  private int size;
  private int duplicate;
  private String[] previousNames = new String[16];
  private int previousSize = -1;

  void clear() {
    size = 0;
  }

  /** Adds a label read at byte offset {@code position} of the input. */
  void add(String name, String value, int position) {
    if (size == names.length) {
      names = Arrays.copyOf(names, size * 2);
      values = Arrays.copyOf(values, size * 2);
      positions = Arrays.copyOf(positions, size * 2);
      order = new int[size * 2];
    }
    names[size] = name;
    values[size] = value;
    positions[size] = position;
    size++;
  }

  /**
   * Sorted labels without the empty values, or null when a name repeats (see {@link
   * #duplicatePosition}).
   */
  Labels build() {
    if (!sameNamesAsBefore()) {
      if (!order()) {
        return null;
      }
      if (previousNames.length < size) {
        previousNames = new String[names.length];
      }
      System.arraycopy(names, 0, previousNames, 0, size);
      previousSize = size;
    }
    int kept = 0;
    for (int i = 0; i < size; i++) {
      if (!values[i].isEmpty()) {
        kept++;
      }
    }
    String[] pairs = new String[kept * 2];
    int p = 0;
    for (int k = 0; k < size; k++) {
      int i = order[k];
      if (!values[i].isEmpty()) {
        pairs[p++] = names[i];
        pairs[p++] = values[i];
      }
    }
    return Labels.ofSorted(pairs);
  }

  /** The input offset of the repeated name found by the last {@link #build} that returned null. */
  int duplicatePosition() {
    return positions[duplicate];
  }

  String duplicateName() {
    return names[duplicate];
  }

  /** Code points of all names and values, which OpenMetrics limits for exemplars. */
  int codePoints() {
    int n = 0;
    for (int i = 0; i < size; i++) {
      n +=
          names[i].codePointCount(0, names[i].length())
              + values[i].codePointCount(0, values[i].length());
    }
    return n;
  }

  /**
   * Whether the names are the very strings of the previous line, in the same order: then its order
   * holds and its names were already checked for duplicates. Consecutive lines of one family nearly
   * always share their label names, and the names come from {@link NameCache}, so this costs a few
   * reference comparisons instead of string comparisons and a sort.
   */
  private boolean sameNamesAsBefore() {
    if (size != previousSize) {
      return false;
    }
    for (int i = 0; i < size; i++) {
      if (names[i] != previousNames[i]) {
        return false;
      }
    }
    return true;
  }

  /** Fills {@link #order} with the indexes sorted by name; false when a name repeats. */
  private boolean order() {
    boolean sorted = true;
    for (int i = 1; i < size; i++) {
      int c = names[i - 1].compareTo(names[i]);
      if (c == 0) {
        duplicate = i;
        return false;
      }
      sorted &= c < 0;
    }
    for (int i = 0; i < size; i++) {
      order[i] = i;
    }
    if (!sorted) {
      sortOrder();
      for (int k = 1; k < size; k++) {
        if (names[order[k - 1]].equals(names[order[k]])) {
          duplicate = Math.max(order[k - 1], order[k]);
          return false;
        }
      }
    }
    return true;
  }

  /** Insertion sort of indexes by name: label sets are small. */
  private void sortOrder() {
    for (int k = 1; k < size; k++) {
      int i = order[k];
      int j = k - 1;
      while (j >= 0 && names[order[j]].compareTo(names[i]) > 0) {
        order[j + 1] = order[j];
        j--;
      }
      order[j + 1] = i;
    }
  }
}
