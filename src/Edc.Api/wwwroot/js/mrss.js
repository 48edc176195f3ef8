// The MRSS total, live as scores are typed: the sum of the form's 17 area fields (blank counts 0; the server checks each).
(function () {
    "use strict";

    function update(form) {
        var output = form.querySelector("output[data-mrss-total]");
        if (!output) {
            return;
        }
        var total = 0;
        form.querySelectorAll("input[data-mrss-area]").forEach(function (input) {
            var value = parseInt(input.value, 10);
            if (!isNaN(value) && value >= 0 && value <= 3) {
                total += value;
            }
        });
        output.value = String(total);
        var change = form.querySelector("[data-mrss-change]");
        if (change) {
            var difference = total - parseInt(change.getAttribute("data-baseline"), 10);
            change.textContent = (difference > 0 ? "+" : "") + String(difference);
        }
    }

    // Delegated from the document, so it works whatever way the page was reached.
    document.addEventListener("input", function (event) {
        var target = event.target;
        if (target instanceof HTMLInputElement && target.hasAttribute("data-mrss-area") && target.form) {
            update(target.form);
        }
    });
})();
