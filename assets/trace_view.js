/* The trace graph's opening view, computed once from what is known without cytoscape: the nodes' preset
   positions (computed by the server, in the elements) and the size of the graph's frame (CSS fixes its
   height; its width is measured). No timer, no cytoscape internals: the result is the graph's `layout`. */
window.dash_clientside = Object.assign({}, window.dash_clientside, {
    trace: {
        PAD: 20,
        CAPTION_LINE: 15, // px per caption line at font-size 12, below the node (text-margin-y 4)
        CAPTION_CHAR: 7, // px per caption character, to keep a wide caption's ends in the frame

        /** What the nodes and their captions cover, in graph coordinates: {x1, x2, y1, y2}. */
        bounds: function (elements) {
            const box = {x1: Infinity, x2: -Infinity, y1: Infinity, y2: -Infinity};
            elements.filter(e => e.position && !("source" in e.data)).forEach(e => {
                const lines = String(e.data.caption || "").split("\n");
                const half = Math.max(e.data.size / 2, Math.max(...lines.map(l => l.length)) * this.CAPTION_CHAR / 2);
                box.x1 = Math.min(box.x1, e.position.x - half);
                box.x2 = Math.max(box.x2, e.position.x + half);
                box.y1 = Math.min(box.y1, e.position.y - e.data.size / 2);
                box.y2 = Math.max(box.y2, e.position.y + e.data.size / 2 + 4 + lines.length * this.CAPTION_LINE);
            });
            return box;
        },

        /** Zoom and pan showing `box` in a width x height frame. A phone (< 576 px) sees the whole graph, at
            most 100 %; a wide screen sees it as tall as fits between 75 and 100 % (labels stay readable),
            centred, or when wider than the frame, with the source's end in view (left forward, right backward). */
        view: function (box, width, height, backward) {
            const pad = this.PAD, bw = box.x2 - box.x1, bh = box.y2 - box.y1;
            const tall = (height - 2 * pad) / bh;
            const zoom = width < 576 ? Math.min((width - 2 * pad) / bw, tall, 1) : Math.min(Math.max(tall, 0.75), 1);
            const x = bw * zoom <= width - 2 * pad ? (width - zoom * (box.x1 + box.x2)) / 2
                : backward ? width - pad - zoom * box.x2 : pad - zoom * box.x1;
            return {zoom: zoom, pan: {x: x, y: (height - zoom * (box.y1 + box.y2)) / 2}};
        },

        /** The graph's layout for the choice `name` among `layouts`; the preset one not fitted (the hop
            columns) gets the zoom and pan of `view` for the frame `frameId`. */
        layout: function (elements, name, request, layouts, frameId) {
            const layout = layouts[name] || layouts.hops;
            const frame = document.getElementById(frameId);
            if (layout.name !== "preset" || layout.fit || !frame || !(elements || []).some(e => e.position)) {
                return layout;
            }
            const size = frame.getBoundingClientRect();
            const backward = ((request || {}).params || {}).direction === "backward";
            return Object.assign({}, layout, this.view(this.bounds(elements), size.width, size.height, backward));
        },
    },
});
