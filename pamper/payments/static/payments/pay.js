// The payment page: Stripe.js takes the card (a SetupIntent), the server pays the booking with it, Stripe.js runs
// 3-D Secure when the bank asks, the server checks the result. Card numbers never reach Pamper.
(function () {
  const form = document.getElementById("pay-form");
  if (!form || typeof Stripe === "undefined") return;
  const stripe = Stripe(form.dataset.key);
  const card = stripe.elements().create("card");
  card.mount("#card-element");
  const error = document.getElementById("pay-error");
  const button = document.getElementById("pay-button");
  const token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  let attempt = 0;

  function show(message) {
    error.textContent = message || window.pamperText("payment_failed");
    error.hidden = false;
    button.disabled = false;
  }

  async function post(url, fields) {
    const body = new URLSearchParams(fields || {});
    const response = await fetch(url, {method: "POST", body, headers: {"X-CSRFToken": token},
                                       credentials: "same-origin"});
    const data = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(data.message || window.pamperText("payment_failed"));
    return data;
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    button.disabled = true;
    error.hidden = true;
    try {
      const setup = await post(form.dataset.setupUrl, {attempt: String(attempt++)});
      const kept = await stripe.confirmCardSetup(setup.client_secret, {payment_method: {card}});
      if (kept.error) return show(kept.error.message);
      const paid = await post(form.dataset.cardUrl, {setup_intent: kept.setupIntent.id});
      if (paid.client_secret) {
        const checked = await stripe.confirmCardPayment(paid.client_secret);
        if (checked.error) return show(checked.error.message);
      }
      const result = await post(form.dataset.checkUrl);
      if (result.next) window.location.assign(result.next);
      else show(result.message);
    } catch (err) {
      show(err.message);
    }
  });
})();
