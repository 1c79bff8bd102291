package io.asyncrpc.bench.report;

import io.asyncrpc.bench.lifecycle.LifecycleBenchmark;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * An SVG line chart of POST → payload latency (p50 and p99, log scale) against the offered load,
 * one colour per swarm size and device protocol, with the target lines; written without a charting
 * library.
 */
final class LatencyChart {

  private static final int WIDTH = 800;
  private static final int HEIGHT = 440;
  private static final int LEFT = 70;
  private static final int RIGHT = 210;
  private static final int TOP = 40;
  private static final int BOTTOM = 60;
  private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd"};

  private LatencyChart() {}

  private record Point(double load, double p50, double p99) {}

  static String svg(SuiteResults results) {
    List<List<Point>> series = new ArrayList<>();
    double maxLoad = 1;
    double maxMs = 10;
    double minMs = 1;
    List<LifecycleBenchmark.Result> measured =
        results.lifecycle().stream().filter(l -> l.max() != null).toList();
    for (LifecycleBenchmark.Result l : measured) {
      List<Point> points = new ArrayList<>();
      for (LifecycleBenchmark.Step s : l.steps()) {
        points.add(new Point(s.offeredPerSecond(), s.toPayload().p50(), s.toPayload().p99()));
      }
      LifecycleBenchmark.Step max = Targets.closedLoop(l);
      points.add(
          new Point(max.lifecyclesPerSecond(), max.toPayload().p50(), max.toPayload().p99()));
      points.removeIf(p -> p.p50() <= 0);
      points.sort(Comparator.comparingDouble(Point::load));
      for (Point p : points) {
        maxLoad = Math.max(maxLoad, p.load());
        maxMs = Math.max(maxMs, p.p99());
        minMs = Math.min(minMs, p.p50());
      }
      series.add(points);
    }
    double xMax = niceCeiling(maxLoad * 1.05);
    double yMin = Math.pow(10, Math.floor(Math.log10(Math.max(0.1, minMs))));
    double yMax = Math.pow(10, Math.ceil(Math.log10(Math.max(maxMs, 60))));
    Scale scale = new Scale(xMax, yMin, yMax);

    StringBuilder svg = new StringBuilder();
    svg.append(
        fmt(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d"
                + " %d\" font-family=\"sans-serif\" font-size=\"12\">%n",
            WIDTH, HEIGHT, WIDTH, HEIGHT));
    svg.append(fmt("<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", WIDTH, HEIGHT));
    svg.append(
        fmt(
            "<text x=\"%d\" y=\"22\" font-size=\"15\" font-weight=\"bold\">POST → payload at the"
                + " device against load</text>%n",
            LEFT));
    axes(svg, scale);
    target(svg, scale, 10, "p50 target 10 ms");
    target(svg, scale, 50, "p99 target 50 ms");
    int legendY = TOP + 10;
    for (int i = 0; i < series.size(); i++) {
      String colour = COLOURS[i % COLOURS.length];
      List<Point> points = series.get(i);
      line(svg, scale, points, true, colour, "");
      line(svg, scale, points, false, colour, "6,4");
      String swarm =
          fmt(
              "%,d devices %s",
              measured.get(i).devices(), Targets.name(measured.get(i).protocol()));
      int x = WIDTH - RIGHT + 20;
      svg.append(
          fmt(
              "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"2\"/>"
                  + "<text x=\"%d\" y=\"%d\">%s p50</text>%n",
              x, legendY, x + 24, legendY, colour, x + 30, legendY + 4, swarm));
      legendY += 18;
      svg.append(
          fmt(
              "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"2\""
                  + " stroke-dasharray=\"6,4\"/><text x=\"%d\" y=\"%d\">%s p99</text>%n",
              x, legendY, x + 24, legendY, colour, x + 30, legendY + 4, swarm));
      legendY += 26;
    }
    svg.append(
        fmt(
            "<text x=\"%d\" y=\"%d\" font-size=\"11\" fill=\"#555\">rightmost point of a"
                + " line:</text><text x=\"%d\" y=\"%d\" font-size=\"11\" fill=\"#555\">the closed"
                + " loop (max rate)</text>%n",
            WIDTH - RIGHT + 20, legendY + 6, WIDTH - RIGHT + 20, legendY + 20));
    return svg.append("</svg>\n").toString();
  }

  private record Scale(double xMax, double yMin, double yMax) {
    double x(double load) {
      return LEFT + load / xMax * (WIDTH - LEFT - RIGHT);
    }

    double y(double ms) {
      double clamped = Math.max(yMin, Math.min(yMax, ms));
      double share =
          (Math.log10(clamped) - Math.log10(yMin)) / (Math.log10(yMax) - Math.log10(yMin));
      return HEIGHT - BOTTOM - share * (HEIGHT - TOP - BOTTOM);
    }
  }

  private static void axes(StringBuilder svg, Scale s) {
    int x0 = LEFT;
    int x1 = WIDTH - RIGHT;
    int y0 = HEIGHT - BOTTOM;
    svg.append(
        fmt(
            "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>"
                + "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>%n",
            x0, y0, x1, y0, x0, TOP, x0, y0));
    for (int i = 0; i <= 5; i++) {
      double load = s.xMax() * i / 5;
      double x = s.x(load);
      svg.append(
          fmt(
              "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#ddd\"/>"
                  + "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%,.0f</text>%n",
              x, TOP, x, y0, x, y0 + 16, load));
    }
    for (double decade = s.yMin(); decade <= s.yMax() * 1.001; decade *= 10) {
      for (double m : new double[] {1, 2, 5}) {
        double ms = decade * m;
        if (ms > s.yMax() * 1.001) {
          break;
        }
        double y = s.y(ms);
        svg.append(
            fmt(
                "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#eee\"/>"
                    + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n",
                x0, y, x1, y, x0 - 6, y + 4, ms >= 1 ? fmt("%.0f", ms) : fmt("%.1f", ms)));
      }
    }
    svg.append(
        fmt(
            "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">offered load (tasks POSTed per"
                + " second)</text>%n",
            (x0 + x1) / 2, HEIGHT - 18));
    svg.append(
        fmt(
            "<text transform=\"translate(18,%d) rotate(-90)\" text-anchor=\"middle\">latency, ms"
                + " (log scale)</text>%n",
            (TOP + y0) / 2));
  }

  private static void target(StringBuilder svg, Scale s, double ms, String label) {
    double y = s.y(ms);
    svg.append(
        fmt(
            "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#888\""
                + " stroke-dasharray=\"2,3\"/><text x=\"%d\" y=\"%.1f\" font-size=\"10\""
                + " fill=\"#666\" text-anchor=\"end\">%s</text>%n",
            LEFT, y, WIDTH - RIGHT, y, WIDTH - RIGHT - 4, y - 3, label));
  }

  private static void line(
      StringBuilder svg, Scale s, List<Point> points, boolean p50, String colour, String dash) {
    StringBuilder path = new StringBuilder();
    for (Point p : points) {
      path.append(path.isEmpty() ? "" : " ")
          .append(fmt("%.1f,%.1f", s.x(p.load()), s.y(p50 ? p.p50() : p.p99())));
    }
    svg.append(
        fmt(
            "<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"%s/>%n",
            path, colour, dash.isEmpty() ? "" : " stroke-dasharray=\"" + dash + "\""));
    for (Point p : points) {
      svg.append(
          fmt(
              "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>%n",
              s.x(p.load()), s.y(p50 ? p.p50() : p.p99()), colour));
    }
  }

  private static double niceCeiling(double value) {
    double magnitude = Math.pow(10, Math.floor(Math.log10(value)));
    for (double m : new double[] {1, 2, 2.5, 5, 10}) {
      if (m * magnitude >= value) {
        return m * magnitude;
      }
    }
    return 10 * magnitude;
  }

  private static String fmt(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }
}
