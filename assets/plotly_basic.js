/* The charts need only plotly.js's basic bundle (scatter, bar): 1.2 MB to parse instead of 4.6 MB.
   dcc.Graph loads plotly.js from window._dashPlotlyJSURL when it first draws a chart (the renderer sets
   that URL to the full bundle at start); this keeps it pointing at the basic bundle, next to this file. */
(function () {
  var url = new URL("vendor/plotly-basic-4.1.1.min.js", document.currentScript.src).href;
  Object.defineProperty(window, "_dashPlotlyJSURL", {
    configurable: true,
    get: function () { return url; },
    set: function () {},
  });
})();
