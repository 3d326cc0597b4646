// Optional enhancement only: every page works without script.
// Submit filter forms as soon as a select changes (the submit button stays for keyboard users).
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("form.filters[data-autosubmit] select").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
});
