// The insights charts: each [data-chart] box is drawn with uPlot from its JSON island. The
// figure's caption and the table beneath carry every value, so the canvas is decoration for
// assistive technology (aria-hidden) and the page reads the same without JavaScript.
// uPlot sets element.style from script, which the CSP allows (only style attributes in the
// markup are refused).
/* global uPlot */
(function () {
  'use strict';
  // Told apart by dash and markers too (the JSON gives each series its dash), not only by hue.
  var COLORS = ['#1b4965', '#c2362b', '#06734f', '#8a5a00'];
  var charts = [];

  function heightFor(mount) {
    return mount.clientWidth < 500 ? 200 : 260;
  }

  function build(mount) {
    var island = document.getElementById(mount.getAttribute('data-chart') + '-data');
    if (!island) return;
    var spec = JSON.parse(island.textContent);
    var lang = document.documentElement.lang === 'fr' ? 'fr-FR' : 'en-GB';
    var dayMonth = new Intl.DateTimeFormat(lang, { day: 'numeric', month: 'short', timeZone: 'UTC' });
    // The report's days are already the viewer's days: plot them at UTC midnight and read them in UTC.
    var xs = spec.x.map(function (d) { return Date.parse(d + 'T00:00:00Z') / 1000; });
    var series = [{}];
    spec.series.forEach(function (s, i) {
      var color = COLORS[i % COLORS.length];
      series.push({ label: s.label, stroke: color, width: 2, dash: s.dash, spanGaps: true, points: { show: s.points, size: 7, fill: '#fff', stroke: color, width: 2 } });
    });
    var opts = {
      width: Math.max(200, mount.clientWidth),
      height: heightFor(mount),
      tzDate: function (ts) { return uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'); },
      // The legend names the series (with their dash); values are in the table beneath.
      legend: { live: false },
      scales: {
        x: { time: true },
        y: { range: spec.yRange ? function () { return spec.yRange; } : function (u, min, max) { return [0, Math.max(1, max || 0)]; } },
      },
      axes: [
        // Whole days only: the points are days (or weeks), never hours.
        { stroke: '#56616d', grid: { stroke: '#eef1f4' }, space: 56, incrs: [1, 2, 7, 14, 28, 56, 91, 182].map(function (d) { return d * 86400; }), values: function (u, ticks) { return ticks.map(function (ts) { return dayMonth.format(new Date(ts * 1000)); }); } },
        { stroke: '#56616d', grid: { stroke: '#eef1f4' }, incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000] },
      ],
      series: series,
    };
    var data = [xs].concat(spec.series.map(function (s) { return s.values; }));
    mount.textContent = '';
    var plot = new uPlot(opts, data, mount);
    mount.setAttribute('data-drawn', '');
    charts.push({ mount: mount, plot: plot });
    if (window.ResizeObserver) {
      new ResizeObserver(function () {
        if (!mount.isConnected) return;
        var width = Math.max(200, mount.clientWidth);
        if (width !== plot.width) plot.setSize({ width: width, height: heightFor(mount) });
      }).observe(mount.parentElement || mount);
    }
  }

  function drawAll() {
    if (!window.uPlot) return;
    charts = charts.filter(function (c) { return c.mount.isConnected; });
    document.querySelectorAll('[data-chart]:not([data-drawn])').forEach(build);
  }

  drawAll();
  if (window.lbcInsightsCharts) return; // loaded again by a boosted navigation
  window.lbcInsightsCharts = true;
  document.addEventListener('htmx:after:swap', drawAll);
  // uPlot may arrive after this script on a boosted navigation.
  document.addEventListener('load', function (event) {
    if (event.target instanceof HTMLScriptElement && /uPlot/.test(event.target.src)) drawAll();
  }, true);
})();
