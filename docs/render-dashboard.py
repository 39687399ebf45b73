#!/usr/bin/env python3
"""Draws docs/grafana-dashboard.png: the panels of docs/grafana-dashboard.json, from real data.

Grafana is not installable here, so this is not a Grafana screenshot. The data is real: Prometheus
range queries (one per panel expression, step 1 s) that PrometheusMetricsIT saves while it scrapes a
platoon pair carrying traffic. Run:

  ./mvnw -B -pl vpn-core -am verify -Dit.test=PrometheusMetricsIT -Dtest=none \\
      -Dsurefire.failIfNoSpecifiedTests=false -Dplatoon.metrics.dashboardData=/tmp/dash-data
  python3 docs/render-dashboard.py /tmp/dash-data        # needs gnuplot (Debian: gnuplot-nox)

Each panel is drawn with gnuplot in the dashboard's grid, title, legend format and unit.
"""
import json
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
SCALE = {"bps": (1e6, "Mb/s"), "bytes": (2**20, "MiB"), "percentunit": (0.01, "%"), "pps": (1, "packets/s"),
         "s": (1, "s"), "short": (1, "")}


def legend(fmt, metric):
    return re.sub(r"\{\{\s*(\w+)\s*\}\}", lambda m: metric.get(m.group(1), ""), fmt) or "value"


def main():
    data = sys.argv[1] if len(sys.argv) > 1 else "/tmp/dash-data"
    dash = json.load(open(os.path.join(HERE, "grafana-dashboard.json")))
    exprs = open(os.path.join(data, "exprs.txt")).read().splitlines()
    work = tempfile.mkdtemp(prefix="dash-")
    panels = [p for p in dash["panels"] if p["type"] != "row"]
    rows = [p for p in dash["panels"] if p["type"] == "row"]
    t0 = None
    n = 0
    plots = []
    for p in panels:
        unit = p["fieldConfig"]["defaults"].get("unit", "short")
        div, label = SCALE.get(unit, (1, unit))
        series = []
        for t in p["targets"]:
            expected = t["expr"].replace("$__rate_interval", "5s").replace("$interface", ".+").replace("$job", ".+").replace("$instance", ".+")
            if exprs[n] != expected:
                sys.exit(f"expression {n} differs from the dashboard: {exprs[n]!r} vs {expected!r}")
            result = json.load(open(os.path.join(data, f"expr-{n}.json")))["data"]["result"]
            n += 1
            for s in result:
                pts = [(float(ts), float(v)) for ts, v in s["values"] if v not in ("NaN", "+Inf", "-Inf")]
                if pts:
                    t0 = min(t0, pts[0][0]) if t0 is not None else pts[0][0]
                    series.append((legend(t["legendFormat"], s["metric"]), pts))
        plots.append((p, label, div, series))
    span = 0
    cmds = []
    for i, (p, label, div, series) in enumerate(plots):
        files = []
        for j, (name, pts) in enumerate(series):
            f = os.path.join(work, f"p{i}-{j}.dat")
            with open(f, "w") as out:
                last = None
                for ts, v in pts:
                    if last is not None and ts - last > 1.5:
                        out.write("\n")  # a gap in the data (e.g. a ratio of two zero rates) is a gap in the line
                    out.write(f"{ts - t0:.0f} {v / div:.6g}\n")
                    span = max(span, ts - t0)
                    last = ts
            files.append((f, name))
        g = p["gridPos"]
        cmds.append(panel(p["title"], label, files, g))
    cols, height = 24, max(p["gridPos"]["y"] + p["gridPos"]["h"] for p in panels)
    W, H = 1800, int(height * 36)
    out = os.path.join(HERE, "grafana-dashboard.png")
    script = [f"set terminal pngcairo size {W},{H} background rgb '#111217' font 'DejaVu Sans,10' noenhanced",
              f"set output '{out}'",
              "set multiplot",
              "set border lc rgb '#6e7079'; set tics textcolor rgb '#ccccdc'",
              "set key textcolor rgb '#ccccdc' below left horizontal samplen 2 font ',9'",
              "set grid lc rgb '#2a2d35'",
              "set style line 1 lc rgb '#73bf69' lw 1.5", "set style line 2 lc rgb '#f2cc0c' lw 1.5",
              "set style line 3 lc rgb '#8ab8ff' lw 1.5", "set style line 4 lc rgb '#ff780a' lw 1.5",
              "set style line 5 lc rgb '#f2495c' lw 1.5", "set style line 6 lc rgb '#5794f2' lw 1.5",
              f"set xrange [0:{span:.0f}]"]
    for r in rows:  # row headers, like Grafana's
        y = 1 - (r["gridPos"]["y"] + 0.8) / height
        script.append(f"set label '{r['title']}' at screen 0.005,{y:.4f} textcolor rgb '#ccccdc' font ',13'")
    script.append(f"set label 'platoon — panels of docs/grafana-dashboard.json drawn from Prometheus range queries "
                  f"(step 1 s, {span:.0f} s) scraped by PrometheusMetricsIT; x: seconds' at screen 0.35,0.997 "
                  f"textcolor rgb '#8e8e8e' font ',9'")
    for c in cmds:
        script.extend(c(height, cols))
    script.append("unset multiplot")
    sp = os.path.join(work, "dash.gp")
    open(sp, "w").write("\n".join(script) + "\n")
    subprocess.run(["gnuplot", sp], check=True)
    print(f"wrote {out} ({len(plots)} panels, {n} expressions, {span:.0f} s of data)")


def panel(title, label, files, g):
    def lines(height, cols):
        x, y, w, h = g["x"] / cols, 1 - (g["y"] + g["h"]) / height, g["w"] / cols, g["h"] / height
        out = [f"set origin {x + 0.004:.4f},{y + 0.004:.4f}", f"set size {w - 0.008:.4f},{h - 0.012:.4f}",
               f"set title \"{title}\" textcolor rgb '#ccccdc' font ',11'",
               f"set ylabel \"{label}\" textcolor rgb '#8e8e8e'", "set yrange [0:*]"]
        if not files:
            out += ["unset key", "set label 99 'no data (nothing counted in this window)' at graph 0.5,0.5 center "
                    "textcolor rgb '#8e8e8e'", "plot [0:1] NaN notitle", "unset label 99", "set key"]
            return out
        plots = ", ".join(f"'{f}' using 1:2 with lines ls {k % 6 + 1} title \"{n}\"" for k, (f, n) in enumerate(files))
        return out + [f"plot {plots}"]
    return lines


if __name__ == "__main__":
    main()
