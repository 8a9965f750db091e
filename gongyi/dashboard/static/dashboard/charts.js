/* Draws the dashboard's charts with Apache ECharts from the JSON the page carries
   (<script id="dashboard-charts" type="application/json">). The same figures are in the
   tables below each chart, so the page reads without JavaScript too. No inline scripts or
   styles (CSP): tooltips are drawn on the canvas (renderMode "richText"). */
(function () {
  "use strict";

  function readData() {
    var node = document.getElementById("dashboard-charts");
    if (!node) return null;
    try { return JSON.parse(node.textContent); } catch (e) { return null; }
  }

  function isDark() {
    return document.body.classList.contains("dash-screen");
  }

  function base(dark) {
    return {
      textStyle: { color: dark ? "#e6edf7" : "#222" },
      tooltip: { trigger: "axis", renderMode: "richText", confine: true },
      legend: { top: 0, textStyle: { color: dark ? "#e6edf7" : "#222" } },
      grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
      color: ["#c8102e", "#4fa3e0", "#f2a93b", "#5cb85c", "#8e6bbf", "#20c5c5"]
    };
  }

  function axis(dark) {
    var color = dark ? "#9fb3cc" : "#666";
    return { axisLabel: { color: color }, axisLine: { lineStyle: { color: color } } };
  }

  function option(kind, chart, dark) {
    var o = base(dark);
    var a = axis(dark);
    if (kind === "pie") {
      o.tooltip = { trigger: "item", renderMode: "richText", confine: true };
      o.legend.type = "scroll";
      o.series = [{
        type: "pie", radius: ["35%", "65%"], top: 30,
        label: { color: dark ? "#e6edf7" : "#222" },
        data: chart.labels.map(function (label, i) {
          return { name: label, value: chart.series[0].data[i] };
        })
      }];
      return o;
    }
    o.xAxis = Object.assign({ type: "category", data: chart.labels }, a);
    o.yAxis = Object.assign({ type: "value" }, a, {
      splitLine: { lineStyle: { color: dark ? "#1f3a5f" : "#eee" } }
    });
    o.series = chart.series.map(function (s) {
      var one = { name: s.name, data: s.data, type: kind === "line" ? "line" : "bar" };
      if (kind === "line") one.smooth = true;
      if (kind === "stack") one.stack = "total";
      return one;
    });
    if (kind === "bar" && chart.labels.length > 6) {
      o.xAxis.axisLabel = Object.assign({}, a.axisLabel, { rotate: 40 });
    }
    return o;
  }

  function draw() {
    if (!window.echarts) return;
    var data = readData();
    if (!data) return;
    var dark = isDark();
    var charts = [];
    document.querySelectorAll("[data-chart]").forEach(function (node) {
      var chart = data[node.getAttribute("data-chart")];
      if (!chart || !chart.labels.length) return;
      node.classList.add("dash-chart-drawn");
      var instance = echarts.init(node, null, { renderer: "canvas" });
      instance.setOption(option(node.getAttribute("data-kind"), chart, dark));
      charts.push(instance);
    });
    var pending = null;
    window.addEventListener("resize", function () {
      clearTimeout(pending);
      pending = setTimeout(function () {
        charts.forEach(function (c) { c.resize(); });
      }, 150);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
