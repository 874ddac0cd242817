// charts.js draws the dashboard's charts with Apache ECharts (embedded,
// static/vendor/) from the JSON in each element's data-chart attribute:
//   line    – a trend with its confidence band (x, y, lo, hi)
//   bars    – bars with error bars (x, y, lo, hi; muted = small sample)
//   scatter – importance vs performance (points: name, x, y, mark)
// Each chart gets a "download PNG" button (ECharts getDataURL). The data
// is also in a table next to the chart (rendered by the server), so the
// page is readable without JavaScript and by screen readers.
(function () {
  "use strict";
  var blue = "#1d4ed8", grey = "#9aa3af", red = "#b91c1c";

  // extreme is the largest (or smallest) finite number of xs, or NaN.
  function extreme(xs, pick) {
    var f = (xs || []).filter(function (x) { return x !== null && x !== undefined; });
    return f.length ? pick.apply(null, f) : NaN;
  }

  // nice rounds x ≥ 0 up to a half step of its order of magnitude
  // (0.9885 → 1, 2131 → 2500), so axis labels stay short.
  function nice(x) {
    if (!(x > 0)) return 0;
    var p = Math.pow(10, Math.floor(Math.log10(x)));
    return Math.ceil((x / p) * 2) / 2 * p;
  }

  function num(v) { return v === null || v === undefined ? null : v; }

  function lineOption(c) {
    var lo = c.lo || [], hi = c.hi || [];
    var band = c.x.map(function (_, i) {
      return lo[i] == null || hi[i] == null ? null : hi[i] - lo[i];
    });
    return {
      tooltip: { trigger: "axis" },
      grid: { left: 48, right: 16, top: 24, bottom: 32 },
      xAxis: { type: "category", data: c.x, boundaryGap: false },
      yAxis: { type: "value", scale: true },
      series: [
        { name: "ci_low", type: "line", data: lo.map(num), stack: "ci", stackStrategy: "all", symbol: "none", lineStyle: { opacity: 0 }, tooltip: { show: false } },
        { name: "ci", type: "line", data: band, stack: "ci", stackStrategy: "all", symbol: "none", lineStyle: { opacity: 0 }, areaStyle: { color: blue, opacity: 0.15 }, tooltip: { show: false } },
        { name: c.title, type: "line", data: (c.y || []).map(num), color: blue, connectNulls: false }
      ]
    };
  }

  function barsOption(c) {
    var muted = c.muted || [];
    var errs = [];
    (c.x || []).forEach(function (x, i) {
      if (c.lo && c.hi && c.lo[i] != null && c.hi[i] != null) {
        errs.push([{ coord: [x, c.lo[i]] }, { coord: [x, c.hi[i]] }]);
      }
    });
    return {
      tooltip: { trigger: "axis" },
      grid: { left: 48, right: 16, top: 24, bottom: 56, containLabel: true },
      xAxis: { type: "category", data: c.x, axisLabel: { interval: c.x.length > 12 ? "auto" : 0, rotate: c.x.length > 6 ? 30 : 0 } },
      // Room for the error bars: the axis spans the intervals too.
      yAxis: {
        type: "value",
        max: function (v) { var h = extreme(c.hi, Math.max); return nice(isNaN(h) ? v.max : Math.max(v.max, h)); },
        min: function (v) { var l = extreme(c.lo, Math.min); return -nice(-Math.min(0, v.min, isNaN(l) ? 0 : l)); }
      },
      series: [{
        name: c.title, type: "bar",
        data: (c.y || []).map(function (v, i) {
          return { value: num(v), itemStyle: { color: muted[i] ? grey : blue } };
        }),
        markLine: { silent: true, symbol: ["none", "none"], lineStyle: { color: "#1c2430", type: "solid", width: 1.5 }, label: { show: false }, data: errs }
      }]
    };
  }

  function scatterOption(c) {
    return {
      tooltip: { formatter: function (p) { return p.data.name + ": " + p.data.value[0].toFixed(1) + ", " + p.data.value[1].toFixed(2); } },
      grid: { left: 56, right: 24, top: 24, bottom: 48 },
      xAxis: { type: "value", name: c.xName, nameLocation: "middle", nameGap: 28 },
      yAxis: { type: "value", name: c.yName, nameLocation: "middle", nameGap: 40, scale: true },
      series: [{
        type: "scatter", symbolSize: 14,
        label: { show: true, position: "right", formatter: "{b}" },
        data: (c.points || []).map(function (p) {
          return { name: p.name, value: [p.x, p.y], itemStyle: { color: p.mark ? red : blue } };
        })
      }]
    };
  }

  function draw(el) {
    if (el.dataset.drawn || !window.echarts) return;
    var c;
    try { c = JSON.parse(el.dataset.chart); } catch (e) { return; }
    el.dataset.drawn = "1";
    var box = document.createElement("div");
    box.className = "chart-canvas";
    box.style.height = el.dataset.height || "260px";
    box.setAttribute("role", "img");
    box.setAttribute("aria-label", c.title || "chart");
    el.appendChild(box);
    var chart = window.echarts.init(box, null, { renderer: "canvas" });
    var opt = c.type === "scatter" ? scatterOption(c) : c.type === "bars" ? barsOption(c) : lineOption(c);
    opt.animation = false;
    chart.setOption(opt);
    var btn = document.createElement("button");
    btn.type = "button";
    btn.className = "secondary chart-png";
    btn.textContent = el.dataset.pngLabel || "Download PNG";
    btn.addEventListener("click", function () {
      var a = document.createElement("a");
      a.href = chart.getDataURL({ type: "png", pixelRatio: 2, backgroundColor: "#fff" });
      a.download = (c.file || "chart") + ".png";
      document.body.appendChild(a);
      a.click();
      a.remove();
    });
    el.appendChild(btn);
    window.addEventListener("resize", function () { chart.resize(); });
  }

  function drawAll(root) {
    (root || document).querySelectorAll("[data-chart]").forEach(draw);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { drawAll(); });
  } else {
    drawAll();
  }
  // htmx swaps in partials (e.g. the Overview's tiles): draw their charts.
  document.addEventListener("htmx:afterSettle", function (e) { drawAll(e.target); });
})();
