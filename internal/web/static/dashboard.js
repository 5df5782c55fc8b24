// The dashboard's charts (Apache ECharts, /static/vendor/echarts/). A
// static file: the Content-Security-Policy (script-src 'self') allows no
// inline script. The figures come from the page's JSON island
// (#dashboard-data), the same as its tables, which stay the source of
// truth: without script, or for print and screen readers, the tables say
// everything. A click on a chart opens the records it counts.
//
// When every chart is drawn, <html> gets data-charts="ready" (or "error").
"use strict";
(function () {
  var island = document.getElementById("dashboard-data");
  if (!island || !window.echarts) {
    return;
  }
  var data = JSON.parse(island.textContent);
  var root = document.documentElement;
  var charts = [];
  var narrow = window.matchMedia("(max-width: 640px)").matches;
  var font = '"PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", sans-serif';
  var colors = {
    ink: "#0b0c0c", muted: "#505a5f", line: "#b1b4b6", brand: "#1d4f91",
    ok: "#00703c", amber: "#f47738", err: "#d4351c"
  };

  // base is what every chart shares: no animation (print, screenshots),
  // tooltips drawn on the canvas (an HTML tooltip would need inline
  // styles, which the CSP refuses), the page's fonts.
  function base(option) {
    option.animation = false;
    option.textStyle = { fontFamily: font, color: colors.ink };
    option.tooltip = Object.assign({ renderMode: "richText", confine: true }, option.tooltip || {});
    return option;
  }

  function draw(id, option, height) {
    var node = document.getElementById(id);
    if (!node) {
      return null;
    }
    if (height) {
      node.style.height = height + "px";
    }
    var chart = echarts.init(node, null, { renderer: "canvas", locale: "ZH" });
    chart.setOption(base(option));
    charts.push(chart);
    return chart;
  }

  // open follows a link of a clicked element, if it has one.
  function open(href) {
    if (href) {
      window.location.href = href;
    }
  }

  function unitNames() {
    return data.units.map(function (u) { return u.name; });
  }

  // barHeight gives horizontal bar charts room for every unit.
  function barHeight(n) {
    return Math.max(240, n * (narrow ? 30 : 28) + 90);
  }

  // valueAxis is a percent axis up to max, or a count axis (whole numbers).
  function valueAxis(max) {
    return { type: "value", max: max, minInterval: max ? 0 : 1, axisLabel: { color: colors.muted },
      splitLine: { lineStyle: { color: "#e5e5e5" } } };
  }

  function unitAxis(names) {
    return { type: "category", data: names, inverse: true, axisTick: { show: false },
      axisLabel: { color: colors.ink, width: narrow ? 72 : 120, overflow: "truncate" } };
  }

  function grid() {
    return { left: 8, right: 24, top: 48, bottom: 8, containLabel: true };
  }

  function legend() {
    return { top: 0, left: 0, type: "scroll", textStyle: { color: colors.ink } };
  }

  // The coverage pieces: the goal is 100%.
  var coveragePieces = [
    { value: 100, label: "100%", color: "#08306b" },
    { gte: 90, lt: 100, label: "90%–99.9%", color: "#2171b5" },
    { gte: 60, lt: 90, label: "60%–89.9%", color: "#9ecae1" },
    { gte: 0, lt: 60, label: "60%以下", color: colors.amber }
  ];

  // pieceOf finds the piece a coverage falls in.
  function pieceOf(v) {
    return coveragePieces.filter(function (p) {
      return p.value !== undefined ? v === p.value : v >= p.gte && v < p.lt;
    })[0] || coveragePieces[coveragePieces.length - 1];
  }

  function coverageMap(geo) {
    echarts.registerMap("liaoning", geo);
    var chart = draw("chart-coverage", {
      tooltip: {
        trigger: "item",
        formatter: function (p) {
          var u = p.data && p.data.unit;
          if (!u) {
            return p.name + "：不在本看板范围内";
          }
          return u.listed ? p.name + "：" + u.coverage + "%（" + u.inspected + "/" + u.listed + "家）" : p.name + "：名单内无企业";
        }
      },
      visualMap: { type: "piecewise", pieces: coveragePieces, left: 0, bottom: 0, orient: narrow ? "horizontal" : "vertical",
        itemWidth: 14, textStyle: { color: colors.ink }, outOfRange: { color: "#dddddd" } },
      series: [{
        type: "map", map: "liaoning", roam: false, top: narrow ? 8 : 16, bottom: narrow ? 56 : 16,
        label: { show: !narrow, fontSize: 11, color: colors.ink },
        emphasis: { label: { show: true }, itemStyle: { areaColor: "#ffdd00" } },
        select: { disabled: true },
        itemStyle: { borderColor: "#ffffff", borderWidth: 1, areaColor: "#dddddd" },
        data: data.units.map(function (u) {
          return { name: u.name, value: u.listed ? u.coverage : NaN, unit: u };
        })
      }]
    }, narrow ? 380 : 480);
    chart.on("click", function (p) {
      open(p.data && p.data.unit && (p.data.unit.links.board || p.data.unit.links.coverage));
    });
  }

  function coverageBars() {
    var chart = draw("chart-coverage", {
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" },
        formatter: function (ps) {
          var u = data.units[ps[0].dataIndex];
          return u.name + "：" + u.coverage + "%（" + u.inspected + "/" + u.listed + "家）";
        } },
      grid: Object.assign(grid(), { top: 16, right: 56 }),
      xAxis: valueAxis(100),
      yAxis: unitAxis(unitNames()),
      series: [{
        type: "bar", name: "覆盖率", barMaxWidth: 22,
        label: { show: true, position: "right", formatter: "{c}%", color: colors.ink },
        data: data.units.map(function (u) {
          return { value: u.coverage, itemStyle: { color: u.listed ? pieceOf(u.coverage).color : "#dddddd" } };
        }),
        markLine: { silent: true, symbol: "none", lineStyle: { color: colors.ink, type: "dashed" }, data: [{ xAxis: 100 }],
          label: { show: false } }
      }]
    }, barHeight(data.units.length));
    chart.on("click", function (p) { open(data.units[p.dataIndex].links.gaps); });
  }

  function hazards() {
    var series = [
      { key: "passed", name: "复查合格", color: colors.ok },
      { key: "pending", name: "未整改（未逾期）", color: colors.amber, link: "unresolved" },
      { key: "overdue", name: "逾期未整改", color: colors.err }
    ];
    var chart = draw("chart-hazards", {
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: legend(),
      grid: grid(),
      xAxis: valueAxis(),
      yAxis: unitAxis(unitNames()),
      series: series.map(function (s) {
        return { type: "bar", stack: "hazards", name: s.name, itemStyle: { color: s.color }, barMaxWidth: 22,
          data: data.units.map(function (u) { return u[s.key]; }) };
      })
    }, barHeight(data.units.length));
    chart.on("click", function (p) {
      var s = series[p.seriesIndex];
      open(data.units[p.dataIndex].links[s.link || s.key]);
    });
  }

  function cards() {
    var palette = ["#ffdd00", "#85994b", colors.err, "#942514", colors.muted, colors.ink];
    var states = ["yellow", "cleared", "red", "proposed", "closed", "accepted"];
    var chart = draw("chart-cards", {
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: legend(),
      grid: grid(),
      xAxis: valueAxis(),
      yAxis: unitAxis(unitNames()),
      series: data.cardStates.map(function (name, i) {
        return { type: "bar", stack: "cards", name: name, itemStyle: { color: palette[i] }, barMaxWidth: 22,
          data: data.units.map(function (u) { return u.cards[i]; }) };
      })
    }, barHeight(data.units.length));
    chart.on("click", function (p) { open(data.units[p.dataIndex].links["card-" + states[p.seriesIndex]]); });
  }

  function trend() {
    var series = [
      { key: "inspections", name: "检查次数", color: colors.brand },
      { key: "hazards", name: "发现隐患", color: colors.err },
      { key: "documents", name: "执法文书", color: colors.ok }
    ];
    var chart = draw("chart-trend", {
      tooltip: { trigger: "axis" },
      legend: legend(),
      grid: grid(),
      xAxis: { type: "category", data: data.months.map(function (m) { return m.name; }), axisLabel: { color: colors.ink } },
      yAxis: valueAxis(),
      series: series.map(function (s) {
        return { type: "line", name: s.name, symbolSize: 7, itemStyle: { color: s.color }, lineStyle: { width: 3 },
          data: data.months.map(function (m) { return m[s.key]; }) };
      })
    }, narrow ? 300 : 340);
    chart.on("click", function (p) { open(data.months[p.dataIndex].links[series[p.seriesIndex].key]); });
  }

  function reports() {
    var rows = [];
    data.channels.forEach(function (ch) {
      ch.units.forEach(function (u) {
        rows.push({ name: data.channels.length > 1 ? u.name + "（" + ch.name.replace(/^.*（|）$/g, "") + "）" : u.name,
          completeness: u.completeness, onTime: u.onTime, grid: ch.grid });
      });
    });
    if (!rows.length) {
      return;
    }
    var chart = draw("chart-reports", {
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, valueFormatter: function (v) { return v.toFixed(1) + "%"; } },
      legend: legend(),
      grid: grid(),
      xAxis: valueAxis(100),
      yAxis: unitAxis(rows.map(function (r) { return r.name; })),
      series: [
        { type: "bar", name: "完整率", itemStyle: { color: colors.brand }, barMaxWidth: 14,
          data: rows.map(function (r) { return Math.round(r.completeness * 10) / 10; }) },
        { type: "bar", name: "按时率", itemStyle: { color: colors.ok }, barMaxWidth: 14,
          data: rows.map(function (r) { return Math.round(r.onTime * 10) / 10; }) }
      ]
    }, barHeight(rows.length) + rows.length * 8);
    chart.on("click", function (p) { open(rows[p.dataIndex].grid); });
  }

  function done(state) {
    root.setAttribute("data-charts", state);
  }

  try {
    hazards();
    cards();
    trend();
    reports();
  } catch (e) {
    done("error");
    throw e;
  }
  window.addEventListener("resize", function () {
    charts.forEach(function (c) { c.resize(); });
  });
  if (!data.map) {
    coverageBars();
    done("ready");
    return;
  }
  fetch(data.mapUrl, { credentials: "same-origin" })
    .then(function (res) {
      if (!res.ok) {
        throw new Error("map outline: HTTP " + res.status);
      }
      return res.json();
    })
    .then(function (geo) {
      coverageMap(geo);
      done("ready");
    })
    .catch(function (e) {
      done("error");
      window.console.error(e);
    });
})();
