// Forms drawn from their definitions (the visit form and log pages): which items are asked, and the calculated values,
// live as values are typed. The server answers both (POST .../evaluation: the check a save makes, nothing saved), so the
// page shows what the save will find. Without this script the page still works: the server decides on save.
(function () {
    "use strict";

    var waits = new WeakMap();
    var asked = new WeakMap();

    // An item's value as the API takes it, or null when blank (left out, as a blank field is by the server's reading).
    function valueOf(item) {
        var kind = item.getAttribute("data-kind");
        if (kind === "calculated") {
            return null;
        }
        if (kind === "codes") {
            var codes = Array.prototype.map.call(item.querySelectorAll("input:checked"), function (box) { return box.value; });
            return codes.length > 0 ? codes : null;
        }
        var field = kind === "boolean" || kind === "choice"
            ? item.querySelector("input:checked, select")
            : item.querySelector("input, textarea");
        var text = field ? field.value : "";
        if (text.trim() === "") {
            return null;
        }
        switch (kind) {
            case "boolean":
                return text === "true";
            case "number":
                var number = Number(text);
                return isFinite(number) ? number : text;
            case "datetime":
                // Entered in UTC, to the minute (or the second).
                return text + (text.length === 16 ? ":00Z" : "Z");
            default:
                return text;
        }
    }

    function valuesOf(form) {
        var values = {};
        form.querySelectorAll("[data-item]").forEach(function (item) {
            var value = item.hidden ? null : valueOf(item);
            if (value !== null) {
                values[item.getAttribute("data-item")] = value;
            }
        });
        return values;
    }

    // The server's answer: items not asked are hidden and their fields disabled (so nothing of them is posted); calculated
    // items show the server's value.
    function show(form, answer) {
        var shown = new Set(answer.shown);
        form.querySelectorAll("[data-item]").forEach(function (item) {
            var code = item.getAttribute("data-item");
            var hidden = !shown.has(code);
            if (item.hidden !== hidden) {
                item.hidden = hidden;
                item.querySelectorAll("input, select, textarea").forEach(function (field) { field.disabled = hidden; });
            }
            if (item.getAttribute("data-kind") === "calculated") {
                var value = answer.values[code];
                item.querySelector("output").value = value === undefined || value === null ? "–" : String(value);
            }
        });
    }

    function evaluate(form) {
        var ask = (asked.get(form) || 0) + 1;
        asked.set(form, ask);
        var body = { values: valuesOf(form) };
        if (form.hasAttribute("data-entry-id")) {
            body.entryId = form.getAttribute("data-entry-id");
        }
        fetch(form.getAttribute("data-evaluate"), {
            method: "POST",
            credentials: "same-origin",
            headers: { "Content-Type": "application/json", "Accept": "application/json" },
            body: JSON.stringify(body)
        }).then(function (response) {
            return response.ok ? response.json() : null;
        }).then(function (answer) {
            // Only the answer to the latest values counts; an earlier one may arrive after it.
            if (answer && asked.get(form) === ask) {
                show(form, answer);
            }
        }).catch(function () {
            // Offline or signed out: the save decides.
        });
    }

    // Delegated from the document, so it works whatever way the page was reached; asked once typing pauses.
    function changed(event) {
        var form = event.target instanceof Element ? event.target.closest("form[data-evaluate]") : null;
        if (!form) {
            return;
        }
        clearTimeout(waits.get(form));
        waits.set(form, setTimeout(function () { evaluate(form); }, 250));
    }

    document.addEventListener("input", changed);
    document.addEventListener("change", changed);
})();
