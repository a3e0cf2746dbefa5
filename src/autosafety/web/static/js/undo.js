// One undo slot for destructive buttons (remove a factor, area or category; delete a scenario).
let pending = null;
let timer = null;

function hide() {
  document.getElementById("undo").hidden = true;
  pending = null;
}

// Show "message [Undo]" for 20 s; Undo calls restore() once.
export function offerUndo(message, restore) {
  pending = restore;
  document.getElementById("undo-text").textContent = message;
  document.getElementById("undo").hidden = false;
  clearTimeout(timer);
  timer = setTimeout(hide, 20000);
}

export function bindUndo() {
  document.getElementById("undo-button").addEventListener("click", async () => {
    const restore = pending;
    hide();
    if (restore) await restore();
  });
}
