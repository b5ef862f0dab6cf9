package io.omearrow.io.stack;

import io.omearrow.core.Axis;
import io.omearrow.core.FormatException;
import io.omearrow.core.SelectionException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Stream;

/**
 * A Bio-Formats-like multi-file pattern, parsed as the Python reference's
 * {@code from_stack_pattern_path} does. An immutable value; {@link #resolve()} lists the files.
 *
 * <p>In the file-name part, each {@code <...>} placeholder is a numeric range {@code a-b} or
 * {@code a-b:step} (zero-padded to the longer of a and b), a comma list, or one literal. Its axis
 * comes from the letters just before it: C for {@code c ch w wavelength}, T for
 * {@code t tl tp timepoint}, Z for {@code z zs sec fp focal focalplane}, series for
 * {@code s sp series} (mapped to {@code mapSeriesTo}), anything else the default axis. A file's
 * index along an axis is the position of its choice in the list. Without placeholders the file
 * name is a regular expression matched in full against the folder's entries; the sorted matches
 * are z = 0..n-1.
 */
public final class StackPattern {
  private static final Set<String> C_WORDS = Set.of("c", "ch", "w", "wavelength");
  private static final Set<String> T_WORDS = Set.of("t", "tl", "tp", "timepoint");
  private static final Set<String> Z_WORDS = Set.of("z", "zs", "sec", "fp", "focal", "focalplane");
  private static final Set<String> S_WORDS = Set.of("s", "sp", "series");
  private static final Pattern RANGE = Pattern.compile("(\\d+)-(\\d+)(?::(\\d+))?");

  /** One placeholder: its axis and its choices in order. */
  public record Placeholder(Axis axis, List<String> choices, boolean numeric) {}

  /** One file the pattern names that exists, with its indices along T, C and Z. */
  public record Match(Path file, int t, int c, int z) {}

  private final String pattern;
  private final Path folder;
  private final String namePart;
  private final List<Placeholder> placeholders;
  private final List<String> literals; // literal text around the placeholders (size = placeholders + 1)

  private StackPattern(String pattern, Path folder, String namePart, List<Placeholder> placeholders, List<String> literals) {
    this.pattern = pattern;
    this.folder = folder;
    this.namePart = namePart;
    this.placeholders = List.copyOf(placeholders);
    this.literals = List.copyOf(literals);
  }

  /** True when a location is a pattern (holds {@code <}, {@code >} or {@code *}). */
  public static boolean isPattern(String location) {
    return location.indexOf('<') >= 0 || location.indexOf('>') >= 0 || location.indexOf('*') >= 0;
  }

  /**
   * Parses a pattern.
   *
   * @param defaultDim axis of placeholders without a known keyword (the reference's default: C)
   * @param mapSeriesTo axis that series placeholders map to (the reference's default: T), or null
   *     to refuse them
   * @throws SelectionException for malformed placeholders
   */
  public static StackPattern parse(String pattern, Axis defaultDim, Axis mapSeriesTo) {
    if (defaultDim == null || defaultDim == Axis.Y || defaultDim == Axis.X || mapSeriesTo == Axis.Y || mapSeriesTo == Axis.X) {
      throw new SelectionException("default_dim_for_unspecified and map_series_to must be one of T, C, Z (got "
          + defaultDim + ", " + mapSeriesTo + ")");
    }
    int slash = pattern.lastIndexOf('/');
    String dir = slash >= 0 ? pattern.substring(0, slash) : "";
    String name = slash >= 0 ? pattern.substring(slash + 1) : pattern;
    if (dir.indexOf('<') >= 0 || dir.indexOf('>') >= 0) {
      throw new SelectionException("Pattern placeholders are only supported in the file name: " + pattern);
    }
    Path folder = dir.isEmpty() ? Path.of(slash == 0 ? "/" : ".") : Path.of(dir);
    List<Placeholder> ph = new ArrayList<>();
    List<String> lit = new ArrayList<>();
    int pos = 0;
    while (true) {
      int open = name.indexOf('<', pos);
      if (open < 0) {
        if (name.indexOf('>', pos) >= 0) {
          throw new SelectionException("Unbalanced '>' in pattern: " + pattern);
        }
        lit.add(name.substring(pos));
        break;
      }
      int close = name.indexOf('>', open);
      if (close < 0 || name.substring(pos, open).indexOf('>') >= 0) {
        throw new SelectionException("Unbalanced '<' or '>' in pattern: " + pattern);
      }
      String before = name.substring(pos, open);
      lit.add(before);
      ph.add(placeholder(name.substring(open + 1, close), axisFor(name.substring(0, open), defaultDim, mapSeriesTo, pattern), pattern));
      pos = close + 1;
    }
    StackPattern sp = new StackPattern(pattern, folder, name, ph, lit);
    sp.checkDistinctAxes();
    return sp;
  }

  private static Axis axisFor(String before, Axis defaultDim, Axis mapSeriesTo, String pattern) {
    int i = before.length();
    while (i > 0 && Character.isLetter(before.charAt(i - 1))) {
      i--;
    }
    String word = before.substring(i).toLowerCase(Locale.ROOT);
    if (C_WORDS.contains(word)) {
      return Axis.C;
    }
    if (T_WORDS.contains(word)) {
      return Axis.T;
    }
    if (Z_WORDS.contains(word)) {
      return Axis.Z;
    }
    if (S_WORDS.contains(word)) {
      if (mapSeriesTo == null) {
        throw new SelectionException("Pattern has a series placeholder but map_series_to is None: " + pattern);
      }
      return mapSeriesTo;
    }
    return defaultDim;
  }

  private static Placeholder placeholder(String body, Axis axis, String pattern) {
    if (body.isEmpty()) {
      throw new SelectionException("Empty placeholder <> in pattern: " + pattern);
    }
    if (body.contains(",")) {
      List<String> items = new ArrayList<>();
      for (String s : body.split(",", -1)) {
        items.add(s.strip());
      }
      return new Placeholder(axis, items, items.stream().allMatch(s -> s.matches("\\d+")));
    }
    Matcher m = RANGE.matcher(body);
    if (m.matches()) {
      String a = m.group(1);
      String b = m.group(2);
      long from = Long.parseLong(a);
      long to = Long.parseLong(b);
      long step = m.group(3) == null ? 1 : Long.parseLong(m.group(3));
      if (from > to) {
        throw new SelectionException("Invalid range <" + body + "> in pattern " + pattern + ": start " + from + " is after end " + to);
      }
      if (step <= 0) {
        throw new SelectionException("Invalid range <" + body + "> in pattern " + pattern + ": step must be positive");
      }
      if ((to - from) / step >= 1_000_000) {
        throw new SelectionException("Range <" + body + "> in pattern " + pattern + " has more than 1000000 values");
      }
      int width = Math.max(a.length(), b.length());
      List<String> items = new ArrayList<>();
      for (long v = from; v <= to; v += step) {
        items.add(String.format(Locale.ROOT, "%0" + width + "d", v));
      }
      return new Placeholder(axis, items, true);
    }
    return new Placeholder(axis, List.of(body), body.matches("\\d+"));
  }

  public String pattern() {
    return pattern;
  }

  public List<Placeholder> placeholders() {
    return placeholders;
  }

  /** The C choices when they name channels (non-numeric literals of the C placeholder), else null. */
  public List<String> channelNamesFromChoices() {
    for (Placeholder p : placeholders) {
      if (p.axis() == Axis.C && !p.numeric()) {
        return p.choices();
      }
    }
    return null;
  }

  /**
   * The files that exist, with their indices; combinations whose file does not exist are skipped.
   *
   * @throws FormatException "No files matched pattern: ..." when none exists
   */
  public List<Match> resolve() {
    List<Match> out = new ArrayList<>();
    if (placeholders.isEmpty()) {
      Pattern re;
      try {
        re = Pattern.compile(namePart);
      } catch (PatternSyntaxException e) {
        throw new SelectionException("Invalid regular expression in pattern " + pattern + ": " + e.getDescription());
      }
      List<Path> found = new ArrayList<>();
      if (Files.isDirectory(folder)) {
        try (Stream<Path> s = Files.list(folder)) {
          s.filter(p -> re.matcher(p.getFileName().toString()).matches() && Files.isRegularFile(p)).sorted().forEach(found::add);
        } catch (IOException e) {
          throw new FormatException("cannot list folder '" + folder + "' of pattern " + pattern + ": " + e.getMessage());
        }
      }
      for (int i = 0; i < found.size(); i++) {
        out.add(new Match(found.get(i), 0, 0, i));
      }
    } else {
      int[] idx = new int[placeholders.size()];
      while (true) {
        StringBuilder name = new StringBuilder(literals.get(0));
        int[] tcz = new int[3];
        for (int k = 0; k < idx.length; k++) {
          Placeholder p = placeholders.get(k);
          name.append(p.choices().get(idx[k])).append(literals.get(k + 1));
          int slot = p.axis() == Axis.T ? 0 : p.axis() == Axis.C ? 1 : 2;
          tcz[slot] = idx[k];
        }
        Path f = folder.resolve(name.toString());
        if (Files.isRegularFile(f)) {
          out.add(new Match(f, tcz[0], tcz[1], tcz[2]));
        }
        int k = idx.length - 1;
        while (k >= 0 && ++idx[k] == placeholders.get(k).choices().size()) {
          idx[k] = 0;
          k--;
        }
        if (k < 0) {
          break;
        }
      }
    }
    if (out.isEmpty()) {
      throw new FormatException("No files matched pattern: " + pattern);
    }
    return out;
  }

  /** Checks that no two placeholders share an axis (their indices would collide). */
  private void checkDistinctAxes() {
    boolean[] used = new boolean[5];
    for (Placeholder p : placeholders) {
      if (used[p.axis().ordinal()]) {
        throw new SelectionException("Two placeholders map to axis " + p.axis() + " in pattern " + pattern
            + "; give them different dimension keywords");
      }
      used[p.axis().ordinal()] = true;
    }
  }
}
