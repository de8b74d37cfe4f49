package dev.wisp.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * A line chart drawn with Java2D into a PNG: a few named series of (x, y) points, linear or log x axis, solid
 * (measured) or dashed (floors, anchors, targets). The legend sits under the chart, one line per series, and the
 * image grows to hold it, so no label is ever cut off.
 */
final class Plot {
    private static final int W = 900;
    private static final int PLOT_H = 560;
    private static final int LEGEND_LINE = 20;
    private static final int LEFT = 80;
    private static final int RIGHT = 30;
    private static final int TOP = 50;
    private static final int BOTTOM = 60;
    private static final Color[] COLORS = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
        new Color(0xff7f0e), new Color(0x9467bd), new Color(0x7f7f7f)};

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final boolean logX;
    private final Map<String, List<double[]>> series = new LinkedHashMap<>();
    private final java.util.Set<String> dashed = new java.util.HashSet<>();
    private double yMax = Double.NaN;
    private boolean logY;
    private boolean integerX;

    Plot(String title, String xLabel, String yLabel, boolean logX) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
        this.logX = logX;
    }

    /** Fixes the top of the y axis (e.g. 100 for percentiles) instead of fitting the data. */
    Plot yMax(double max) {
        yMax = max;
        return this;
    }

    Plot series(String name, List<double[]> points) {
        if (!points.isEmpty()) {
            series.put(name, points);
        }
        return this;
    }

    /**
     * A log y axis, from the power of ten under the lowest point to the one over the highest: a measure and a
     * floor or anchor many times higher both stay readable.
     */
    Plot logY() {
        logY = true;
        return this;
    }

    /** Ticks on the x axis at whole numbers only (counts: invokers, clients). */
    Plot integerX() {
        integerX = true;
        return this;
    }

    /** A reference series drawn dashed: a floor, an anchor, a target. */
    Plot reference(String name, List<double[]> points) {
        dashed.add(name);
        return series(name, points);
    }

    /** Writes the chart; headless, so it also works on a machine without a display. */
    Path write(Path file) throws IOException {
        System.setProperty("java.awt.headless", "true");
        double minX = Double.MAX_VALUE;
        double maxX = -Double.MAX_VALUE;
        double maxY = 0;
        double minY = Double.MAX_VALUE;
        for (List<double[]> pts : series.values()) {
            for (double[] p : pts) {
                minX = Math.min(minX, p[0]);
                maxX = Math.max(maxX, p[0]);
                maxY = Math.max(maxY, p[1]);
                if (p[1] > 0) {
                    minY = Math.min(minY, p[1]);
                }
            }
        }
        if (series.isEmpty()) {
            minX = 0;
            maxX = 1;
        }
        if (maxX <= minX) {
            maxX = minX + 1;
        }
        double bottom = 0;
        if (logY) {
            bottom = minY == Double.MAX_VALUE ? 1 : Math.pow(10, Math.floor(Math.log10(minY)));
            maxY = Math.pow(10, Math.ceil(Math.log10(Math.max(maxY, bottom * 10))));
        } else {
            maxY = Double.isNaN(yMax) ? niceCeiling(maxY <= 0 ? 1 : maxY * 1.05) : yMax;
        }
        int legendH = 16 + LEGEND_LINE * series.size();
        int h = PLOT_H + legendH;
        BufferedImage img = new BufferedImage(W, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, W, h);
        Axis x = new Axis(minX, maxX, LEFT, W - RIGHT, logX, integerX);
        Axis y = new Axis(bottom, maxY, PLOT_H - BOTTOM, TOP, logY, false);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        FontMetrics fm = g.getFontMetrics();
        for (double t : y.ticks()) {
            int py = y.px(t);
            g.setColor(new Color(0xe8e8e8));
            g.drawLine(LEFT, py, W - RIGHT, py);
            g.setColor(Color.DARK_GRAY);
            String label = label(t);
            g.drawString(label, LEFT - 8 - fm.stringWidth(label), py + fm.getAscent() / 2 - 1);
        }
        for (double t : x.ticks()) {
            int px = x.px(t);
            g.setColor(new Color(0xe8e8e8));
            g.drawLine(px, TOP, px, PLOT_H - BOTTOM);
            g.setColor(Color.DARK_GRAY);
            String label = label(t);
            g.drawString(label, px - fm.stringWidth(label) / 2, PLOT_H - BOTTOM + 18);
        }
        g.setColor(Color.BLACK);
        g.drawRect(LEFT, TOP, W - LEFT - RIGHT, PLOT_H - TOP - BOTTOM);
        g.drawString(xLabel, LEFT + (W - LEFT - RIGHT - fm.stringWidth(xLabel)) / 2, PLOT_H - 18);
        Graphics2D rotated = (Graphics2D) g.create();
        rotated.rotate(-Math.PI / 2);
        rotated.drawString(yLabel, -(TOP + (PLOT_H - TOP - BOTTOM + fm.stringWidth(yLabel)) / 2), 20);
        rotated.dispose();
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        g.drawString(title, LEFT, 30);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        int i = 0;
        int legendY = PLOT_H + 14;
        for (Map.Entry<String, List<double[]>> e : series.entrySet()) {
            Color c = COLORS[i++ % COLORS.length];
            g.setColor(c);
            g.setStroke(dashed.contains(e.getKey())
                    ? new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {8f, 5f}, 0f)
                    : new BasicStroke(2.5f));
            List<double[]> pts = e.getValue();
            for (int k = 1; k < pts.size(); k++) {
                g.drawLine(x.px(pts.get(k - 1)[0]), y.px(pts.get(k - 1)[1]), x.px(pts.get(k)[0]), y.px(pts.get(k)[1]));
            }
            if (pts.size() <= 12 && !dashed.contains(e.getKey())) {
                for (double[] p : pts) {
                    g.fillOval(x.px(p[0]) - 4, y.px(p[1]) - 4, 8, 8);
                    // the measured value beside its point, so the reader needs no ruler on a log axis
                    String v = p[1] >= 10 ? String.format(Locale.ROOT, "%.0f", p[1])
                            : String.format(Locale.ROOT, "%.2f", p[1]);
                    int tx = Math.min(x.px(p[0]) + 6, W - RIGHT - g.getFontMetrics().stringWidth(v) - 2);
                    g.drawString(v, tx, y.px(p[1]) - 7);
                }
            }
            g.drawLine(LEFT, legendY - 4, LEFT + 40, legendY - 4);
            g.setColor(Color.BLACK);
            g.drawString(e.getKey(), LEFT + 50, legendY);
            legendY += LEGEND_LINE;
        }
        g.dispose();
        Files.createDirectories(file.toAbsolutePath().getParent());
        ImageIO.write(img, "png", file.toFile());
        return file;
    }

    private static String label(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e7) {
            return String.valueOf((long) v);
        }
        return String.format(Locale.ROOT, v < 1 ? "%.2f" : "%.1f", v);
    }

    /** 1, 2 or 5 times a power of ten, at least {@code v}. */
    static double niceCeiling(double v) {
        double p = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (m * p >= v) {
                return m * p;
            }
        }
        return 10 * p;
    }

    /** Maps data to pixels along one axis. */
    private record Axis(double min, double max, int from, int to, boolean log, boolean integer) {
        int px(double v) {
            double f = log ? (Math.log(Math.max(v, min)) - Math.log(min)) / (Math.log(max) - Math.log(min))
                    : (v - min) / (max - min);
            return (int) Math.round(from + f * (to - from));
        }

        List<Double> ticks() {
            List<Double> out = new java.util.ArrayList<>();
            if (log) {
                for (double d = Math.pow(10, Math.floor(Math.log10(min))); d <= max * 1.0001; d *= 10) {
                    for (double m : new double[] {1, 2, 5}) {
                        if (d * m >= min * 0.9999 && d * m <= max * 1.0001) {
                            out.add(d * m);
                        }
                    }
                }
                return out;
            }
            double step = niceCeiling((max - min) / 8);
            if (integer) {
                step = Math.max(1, Math.rint(step));
            }
            for (double t = Math.ceil(min / step) * step; t <= max + step / 1000; t += step) {
                out.add(t);
            }
            return out;
        }
    }
}
