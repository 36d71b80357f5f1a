// The themed report's behaviour, from file:// with no network: the theme
// filter of a file page, and sorting and filtering of the index's file table.
"use strict";

function lineMatches(row, choice) {
    if (choice === "all") {
        return true;
    }
    if (!row.hasAttribute("data-line")) {
        return false;
    }
    if (choice === "none") {
        // The blind spots: lines no theme runs, and lines with a branch no theme takes.
        return row.hasAttribute("data-blind") || row.hasAttribute("data-partial");
    }
    if (choice.startsWith("only:")) {
        return row.getAttribute("data-unique") === choice.slice("only:".length);
    }
    const ran = (row.dataset.themes + " " + row.dataset.importOnly).split(" ");
    return ran.includes(choice);
}

// Show a matched line's enclosing def and class lines, as context, so a filtered
// view still says where each line is.
function showScopes(row) {
    let scope = row.dataset.scope;
    while (scope) {
        const enclosing = document.getElementById("L" + scope);
        if (!enclosing || !enclosing.hidden) {
            return;
        }
        enclosing.hidden = false;
        enclosing.classList.add("context");
        scope = enclosing.dataset.scope;
    }
}

function applyFilter(select, remember = true) {
    const choice = select.value;
    const rows = [...document.querySelectorAll("table.source tr.line")];
    let matched = 0;
    for (const row of rows) {
        const match = lineMatches(row, choice);
        row.hidden = !match;
        row.classList.remove("context");
        matched += match ? 1 : 0;
    }
    if (choice !== "all") {
        rows.filter((row) => !row.hidden && !row.classList.contains("context")).forEach(showScopes);
    }
    const none = document.querySelector(".no-match");
    if (none) {
        none.hidden = matched > 0;
    }
    // On load the address stays as it came: a link to a line (`#L<n>`) keeps its target.
    if (!remember) {
        return;
    }
    try {
        history.replaceState(null, "", choice === "all" ? location.pathname : "#theme=" + encodeURIComponent(choice));
    } catch {
        // Some browsers refuse history changes on file:// pages; the filter works all the same.
    }
}

function setUpFilter() {
    const select = document.querySelector('select[name="theme"]');
    if (!select) {
        return;
    }
    const wanted = new URLSearchParams(location.hash.slice(1)).get("theme");
    if (wanted && [...select.options].some((option) => option.value === wanted)) {
        select.value = wanted;
    }
    select.addEventListener("change", () => applyFilter(select));
    applyFilter(select, false);
}

function sortKey(cell) {
    const value = cell.dataset.sort ?? cell.textContent;
    const number = Number.parseFloat(value);
    return Number.isNaN(number) ? value.toLowerCase() : number;
}

function setUpSorting(table) {
    const headers = [...table.tHead.rows[0].cells];
    headers.forEach((header, column) => {
        header.addEventListener("click", () => {
            const ascending = header.getAttribute("aria-sort") !== "ascending";
            headers.forEach((other) => other.removeAttribute("aria-sort"));
            header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
            const body = table.tBodies[0];
            const rows = [...body.rows];
            rows.sort((a, b) => {
                const x = sortKey(a.cells[column]);
                const y = sortKey(b.cells[column]);
                const order = x < y ? -1 : x > y ? 1 : 0;
                return ascending ? order : -order;
            });
            body.append(...rows);
        });
    });
}

function setUpFileFilter() {
    const input = document.querySelector('input[name="file-filter"]');
    if (!input) {
        return;
    }
    input.addEventListener("input", () => {
        const text = input.value.trim().toLowerCase();
        for (const row of document.querySelectorAll("table.files tbody tr")) {
            row.hidden = text !== "" && !row.dataset.file.toLowerCase().includes(text);
        }
    });
}

setUpFilter();
document.querySelectorAll("table.sortable").forEach(setUpSorting);
setUpFileFilter();
// When the page became interactive, for the benchmark (P4) and the browser tests.
document.documentElement.dataset.readyAt = String(performance.now());
document.documentElement.dataset.ready = "true";
