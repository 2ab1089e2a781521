// Draws every chart on the page from the JSON data block beside it, with the pinned
// plotly.js bundle served from /static (never a CDN). No inline script: the content
// security policy's script-src 'self' holds. Plotly is told to make no network request:
// no MathJax, no topojson, no link to Plotly's cloud, no logo, no mode bar.
(function () {
  'use strict'

  var CONFIG = {
    displaylogo: false,
    displayModeBar: false,
    showSendToCloud: false,
    showTips: false,
    typesetMath: false,
    topojsonURL: '/static/vendor/plotly/',
    plotlyServerURL: '',
    responsive: true,
    scrollZoom: false,
    doubleClick: false,
    locale: 'en'
  }

  function draw (element) {
    var block = document.getElementById(element.getAttribute('data-chart'))
    if (!block) { return Promise.resolve() }
    var figure = JSON.parse(block.textContent)
    // Plotly's responsive mode sizes a chart to its box: give the box the figure's height.
    element.style.height = (figure.layout.height || 380) + 'px'
    // The table beside the chart carries the figures for assistive technology.
    element.setAttribute('role', 'img')
    element.setAttribute('aria-label', element.getAttribute('data-chart-label') || 'Chart')
    return window.Plotly.newPlot(element, figure.data, figure.layout, CONFIG)
  }

  function drawAll () {
    if (!window.Plotly) { return }
    var charts = document.querySelectorAll('[data-chart]')
    var drawn = []
    for (var i = 0; i < charts.length; i++) { drawn.push(draw(charts[i])) }
    Promise.all(drawn).then(function () { document.body.setAttribute('data-charts-drawn', String(charts.length)) })
  }

  function resizeAll () {
    var plots = document.querySelectorAll('.js-plotly-plot')
    for (var i = 0; i < plots.length; i++) { window.Plotly.Plots.resize(plots[i]) }
  }

  function enablePrint () {
    var buttons = document.querySelectorAll('[data-print]')
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].hidden = false
      buttons[i].addEventListener('click', function () { window.print() })
    }
  }

  function start () {
    enablePrint()
    drawAll()
    // Charts fit the printed page, then the screen again.
    if (window.matchMedia) {
      window.matchMedia('print').addListener(function () { if (window.Plotly) { resizeAll() } })
    }
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start)
  } else {
    start()
  }
})()
