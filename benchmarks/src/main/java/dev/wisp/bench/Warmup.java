package dev.wisp.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * Warms a measure up until it is stable: runs windows of it until two successive windows' figure (a p50, a
 * rate) are within a tolerance of each other, or a bound of windows is reached. Says which in a line for the
 * report, with every window's figure, so a reader sees whether the measure that follows ran warm.
 */
final class Warmup {
    static final double TOLERANCE = 0.05;

    private Warmup() {
    }

    /**
     * @param what the measure, for the note
     * @param unit the figure's unit, for the note
     * @param maxWindows windows at most; 1 (a smoke run) runs one window and checks nothing
     * @param window runs one window and returns its figure
     * @return the note: stable after N windows, or not stable after the bound
     */
    static String until(String what, String unit, int maxWindows, Callable<Double> window) throws Exception {
        List<Double> figures = new ArrayList<>();
        while (figures.size() < Math.max(1, maxWindows)) {
            figures.add(window.call());
            int n = figures.size();
            if (n >= 2 && Math.abs(figures.get(n - 1) - figures.get(n - 2))
                    <= TOLERANCE * Math.max(figures.get(n - 1), figures.get(n - 2))) {
                return String.format(Locale.ROOT, "warm-up %s: stable after %d windows (%s %s, last two within %.0f%%)",
                        what, n, list(figures), unit, TOLERANCE * 100);
            }
        }
        if (maxWindows <= 1) {
            return String.format(Locale.ROOT, "warm-up %s: one window (%s %s), stability not checked", what,
                    list(figures), unit);
        }
        return String.format(Locale.ROOT, "warm-up %s: NOT stable after %d windows (%s %s); the figures may still move",
                what, figures.size(), list(figures), unit);
    }

    private static String list(List<Double> figures) {
        return figures.stream().map(f -> String.format(Locale.ROOT, f < 10 ? "%.2f" : "%.1f", f))
                .collect(Collectors.joining(", "));
    }
}
