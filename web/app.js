// Placeholder: the real page replaces this file.
"use strict";
document.getElementById("main").textContent = "apptrack";
