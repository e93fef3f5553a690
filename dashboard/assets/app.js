/* Clientside parts of the dashboard: the play loop and a keyboard shortcut.
 * Playing steps the year slider once per timer tick; the server callback that listens to
 * the slider sends the map patch. Stops at the last year; Play at the end restarts. */
window.dash_clientside = Object.assign({}, window.dash_clientside, {
    africa_presence: {
        play: function (nClicks, nIntervals, year, min, max, disabled) {
            var noUpdate = window.dash_clientside.no_update;
            var trigger = (window.dash_clientside.callback_context.triggered[0] || {}).prop_id || "";
            // The labels are in the page's language, on the button itself (page/layout.py).
            var button = document.getElementById("play-button");
            var PLAY = (button && button.getAttribute("data-play")) || "\u25B6 Play";
            var PAUSE = (button && button.getAttribute("data-pause")) || "\u275A\u275A Pause";
            if (trigger.indexOf("play-button") === 0) {
                if (disabled === false) {  // playing: pause
                    return [true, noUpdate, PLAY, "false"];
                }
                var start = (year === null || year === undefined || year >= max) ? min : noUpdate;
                return [false, start, PAUSE, "true"];
            }
            // Timer tick.
            if (disabled !== false) {
                return [noUpdate, noUpdate, noUpdate, noUpdate];
            }
            if (year >= max) {
                return [true, noUpdate, PLAY, "false"];
            }
            var next = year + 1;
            if (next >= max) {
                return [true, next, PLAY, "false"];
            }
            return [noUpdate, next, noUpdate, noUpdate];
        },
        /* The window's width, once on load: a phone's chart puts its legend under the plot. */
        screenWidth: function () {
            return window.innerWidth;
        },
        /* A click on a chart point moves the timeline to the point's year. */
        chartYear: function (click) {
            var p = click && click.points && click.points[0];
            return (p && Number.isInteger(p.x)) ? p.x : window.dash_clientside.no_update;
        },
        /* After the details panel changes: bring the picked record into view, once. */
        scrollToPicked: function () {
            setTimeout(function () {
                var item = document.querySelector("#details-body .item.picked");
                if (!item) { return; }
                // Scroll the panel itself when it scrolls (desktop), else the page (phone).
                var panel = item.closest(".details");
                if (panel && panel.scrollHeight > panel.clientHeight + 4) {
                    panel.scrollTop += item.getBoundingClientRect().top -
                        panel.getBoundingClientRect().top - 60;
                } else {
                    item.scrollIntoView({block: "center"});
                }
                if (document.activeElement === document.body ||
                        document.activeElement === null) {
                    item.focus({preventScroll: true});
                }
            }, 50);
            var picked = document.querySelector("#details-body .item.picked");
            return picked ? picked.getAttribute("data-record") : null;
        },
        /* Phone: fold or unfold the filters (the class only matters on narrow screens). */
        toggleFilters: function (nClicks, className) {
            var folded = (className || "").indexOf("folded") !== -1;
            var button = document.getElementById("filters-toggle");
            var show = (button && button.getAttribute("data-show")) || "Filters and export \u25BE";
            var hide = (button && button.getAttribute("data-hide")) || "Hide filters \u25B4";
            return folded ? ["sidebar", "true", hide] : ["sidebar folded", "false", show];
        },
        /* The language switch reloads the page in the chosen language, same view. */
        switchLanguage: function (lang) {
            var url = new URL(window.location.href);
            if (!lang || url.searchParams.get("lang") === lang) {
                return window.dash_clientside.no_update;
            }
            url.searchParams.set("lang", lang);
            window.location.assign(url.toString());
            return window.dash_clientside.no_update;
        },
        /* The share panel: this view's link (never the embed view) and an iframe snippet. */
        shareTexts: function (href, meta) {
            var url = new URL(href || window.location.href);
            url.searchParams.delete("embed");
            var link = url.toString();
            url.searchParams.set("embed", "1");
            var title = ((meta && meta.title) || "").replace(/&/g, "&amp;")
                .replace(/"/g, "&quot;").replace(/</g, "&lt;");
            var height = (meta && meta.height) || 600;
            var snippet = '<iframe src="' + url.toString().replace(/&/g, "&amp;") +
                '" title="' + title + '" width="100%" height="' + height +
                '" loading="lazy" style="border:0"></iframe>';
            return [link, snippet];
        }
    }
});

/* Escape closes the details panel (in the search box it closes the results instead). */
document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" || (event.target && event.target.id === "search")) { return; }
    var panel = document.getElementById("details");
    var close = document.getElementById("details-close");
    if (panel && close && panel.classList.contains("open")) { close.click(); }
});

/* dcc.Slider has no aria-label prop: name the thumb for screen readers. (The map follows
 * its frame's size through dcc.Graph(responsive=True), which watches it itself.) */
(function nameSlider(tries) {
    var thumb = document.querySelector("#year-slider [role='slider']");
    if (thumb) {
        thumb.setAttribute("aria-label", "Year");
    } else if (tries > 0) {
        setTimeout(function () { nameSlider(tries - 1); }, 250);
    }
})(80);

/* Tabs (WAI-ARIA pattern): Left/Right/Home/End move between the view tabs and select. */
document.addEventListener("keydown", function (event) {
    var tab = event.target;
    if (!tab || tab.getAttribute("role") !== "tab") { return; }
    var tabs = Array.prototype.slice.call(tab.parentNode.querySelectorAll("[role='tab']"));
    var i = tabs.indexOf(tab), next = null;
    if (event.key === "ArrowRight") { next = tabs[(i + 1) % tabs.length]; }
    else if (event.key === "ArrowLeft") { next = tabs[(i - 1 + tabs.length) % tabs.length]; }
    else if (event.key === "Home") { next = tabs[0]; }
    else if (event.key === "End") { next = tabs[tabs.length - 1]; }
    if (next) { event.preventDefault(); next.focus(); next.click(); }
});

/* Search (WAI-ARIA combobox with a listbox): Down/Up move the active result, Enter picks it
 * (the first one if none is active), Escape empties the box and closes the list. */
(function () {
    function options() {
        var list = document.getElementById("search-results");
        return list ? Array.prototype.slice.call(list.querySelectorAll("[role='option']")) : [];
    }
    function clearBox(input) {
        var setter = Object.getOwnPropertyDescriptor(window.HTMLInputElement.prototype, "value").set;
        setter.call(input, "");
        input.dispatchEvent(new Event("input", {bubbles: true}));
    }
    (function describe(tries) {  // dcc.Input takes no ARIA props: set them here
        var box = document.getElementById("search");
        if (box) {
            box.setAttribute("role", "combobox");
            box.setAttribute("aria-controls", "search-results");
            box.setAttribute("aria-autocomplete", "list");
            box.setAttribute("aria-expanded", "true");
        } else if (tries > 0) {
            setTimeout(function () { describe(tries - 1); }, 250);
        }
    })(80);
    document.addEventListener("keydown", function (event) {
        var input = event.target;
        if (!input || input.id !== "search") { return; }
        var opts = options();
        var i = opts.findIndex(function (o) { return o.classList.contains("active"); });
        var next = null;
        if (event.key === "ArrowDown" && opts.length) { next = opts[(i + 1) % opts.length]; }
        else if (event.key === "ArrowUp" && opts.length) {
            next = opts[(i - 1 + opts.length) % opts.length];
        } else if (event.key === "Enter") {
            var chosen = opts[i >= 0 ? i : 0];
            if (chosen) { event.preventDefault(); chosen.click(); }
            return;
        } else if (event.key === "Escape") {
            event.preventDefault();
            clearBox(input);
            return;
        } else { return; }
        event.preventDefault();
        opts.forEach(function (o) {
            o.classList.remove("active");
            o.setAttribute("aria-selected", "false");
        });
        next.classList.add("active");
        next.setAttribute("aria-selected", "true");
        next.scrollIntoView({block: "nearest"});
        input.setAttribute("aria-activedescendant", next.id);
    });
})();
