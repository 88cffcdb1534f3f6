/*!
 * KSM-Servicedesk-Assistent: chat widget for intranet pages.
 *
 * Embedded with one tag; everything else is loaded from the same place as this file:
 *
 *   <script src="https://assistent.ksm.example/widget/ksm-chat.js" defer
 *           data-server-url="https://assistent.ksm.example"
 *           data-title="KSM-Servicedesk" data-member="grabow"
 *           data-user-token="eyJ…"></script>
 *
 * It talks to Rasa's socketio channel (session persistence on, metadata key `customData`),
 * keeps the conversation in the browser's session storage so that it survives reloads and
 * navigation between intranet pages, and renders bot text as text: a small markdown subset
 * (line breaks, "- " lists, **bold**, links to http(s) and e-mail addresses) built from DOM
 * nodes, never from HTML strings.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  if (!script || window.__ksmChatLoaded) {
    return;
  }
  window.__ksmChatLoaded = true;

  var WIDGET_BASE = new URL(".", script.src).href;
  var MAX_MESSAGE_LENGTH = 2000;
  var MAX_STORED_MESSAGES = 200;
  var TYPING_TIMEOUT_MS = 30000;
  var data = script.dataset;
  var config = {
    serverUrl: data.serverUrl || new URL(WIDGET_BASE).origin,
    title: data.title || "KSM-Servicedesk-Assistent",
    member: data.member || "",
    userToken: data.userToken || "",
    storage: data.storage === "local" ? "localStorage" : "sessionStorage",
  };
  var STORAGE_KEY = "ksm-chat:" + config.serverUrl;

  var TEXT = {
    launcher: "Fragen an den Servicedesk",
    close: "Chat schließen",
    newConversation: "Neues Gespräch",
    log: "Gesprächsverlauf",
    input: "Ihre Nachricht",
    send: "Senden",
    you: "Sie:",
    bot: "Assistent:",
    typing: "Der Assistent schreibt …",
    suggestions: "Antwortvorschläge",
    empty:
      "Guten Tag! Fragen Sie mich zum Beispiel, wie Sie den Servicedesk erreichen, " +
      "was die KSM für Ihre Verwaltung betreut oder wie Sie eine Störung melden.",
    privacy:
      "Datenschutz: Ihre Nachrichten werden bei der KSM gespeichert, um Ihre Fragen zu " +
      "beantworten und den Assistenten zu verbessern, und nach 90 Tagen gelöscht. Bitte geben " +
      "Sie keine Passwörter ein.",
    connecting: "Verbindung wird aufgebaut …",
    connected: "Verbunden",
    disconnected: "Verbindung unterbrochen. Neuer Versuch läuft …",
    notSent: "Keine Verbindung: Ihre Nachricht wurde noch nicht gesendet.",
    tooLong: "Die Nachricht ist zu lang (höchstens " + MAX_MESSAGE_LENGTH + " Zeichen).",
    loadFailed: "Der Chat konnte nicht geladen werden. Bitte versuchen Sie es später erneut.",
  };

  // ---------------------------------------------------------------- state and storage

  function storage() {
    try {
      return window[config.storage];
    } catch (error) {
      return null; // storage blocked: the conversation lasts until the page is left
    }
  }

  function randomId() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map
      .call(bytes, function (b) {
        return ("0" + b.toString(16)).slice(-2);
      })
      .join("");
  }

  function loadState() {
    var stored = null;
    try {
      stored = JSON.parse((storage() && storage().getItem(STORAGE_KEY)) || "null");
    } catch (error) {
      stored = null;
    }
    if (!stored || typeof stored.sessionId !== "string" || !Array.isArray(stored.messages)) {
      return { sessionId: randomId(), messages: [], open: false };
    }
    return stored;
  }

  function saveState() {
    state.messages = state.messages.slice(-MAX_STORED_MESSAGES);
    try {
      if (storage()) {
        storage().setItem(STORAGE_KEY, JSON.stringify(state));
      }
    } catch (error) {
      /* full or blocked storage: keep going without persistence */
    }
  }

  var state = loadState();

  // ---------------------------------------------------------------- DOM helpers

  function el(tag, attributes, children) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) {
      var value = attributes[name];
      if (name === "text") {
        node.textContent = value;
      } else if (name === "className") {
        node.className = value;
      } else if (value === true) {
        node.setAttribute(name, "");
      } else if (value !== false && value !== null && value !== undefined) {
        node.setAttribute(name, String(value));
      }
    });
    (children || []).forEach(function (child) {
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  var INLINE = /\*\*([^*]+)\*\*|\[([^\]]+)\]\(((?:https?:\/\/|mailto:)[^\s)]+)\)|(https?:\/\/[^\s<>"]*[^\s<>".,;:!?)])|([A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,})/g;

  /** Inline markdown subset of one line as DOM nodes: bold, links, bare URLs and e-mails. */
  function inline(line) {
    var nodes = [];
    var last = 0;
    var match;
    INLINE.lastIndex = 0;
    while ((match = INLINE.exec(line)) !== null) {
      if (match.index > last) {
        nodes.push(document.createTextNode(line.slice(last, match.index)));
      }
      if (match[1] !== undefined) {
        nodes.push(el("strong", { text: match[1] }));
      } else if (match[2] !== undefined) {
        nodes.push(link(match[3], match[2]));
      } else if (match[4] !== undefined) {
        nodes.push(link(match[4], match[4]));
      } else {
        nodes.push(link("mailto:" + match[5], match[5]));
      }
      last = INLINE.lastIndex;
    }
    if (last < line.length) {
      nodes.push(document.createTextNode(line.slice(last)));
    }
    return nodes;
  }

  function link(href, label) {
    var external = /^https?:/.test(href);
    return el(
      "a",
      {
        href: href,
        text: label,
        target: external ? "_blank" : null,
        rel: external ? "noopener noreferrer" : null,
      },
      []
    );
  }

  /** Bot text as paragraphs and lists: "- " or "• " lines form a list, other lines break. */
  function renderText(text) {
    var fragment = document.createDocumentFragment();
    var paragraph = null;
    var list = null;
    String(text).split("\n").forEach(function (line) {
      var item = /^\s*[-•]\s+(.*)$/.exec(line);
      if (item) {
        paragraph = null;
        if (!list) {
          list = fragment.appendChild(el("ul"));
        }
        list.appendChild(el("li", {}, inline(item[1])));
        return;
      }
      list = null;
      if (!line.trim()) {
        paragraph = null;
        return;
      }
      if (paragraph) {
        paragraph.appendChild(el("br"));
      } else {
        paragraph = fragment.appendChild(el("p"));
      }
      inline(line).forEach(function (node) {
        paragraph.appendChild(node);
      });
    });
    return fragment;
  }

  // ---------------------------------------------------------------- the widget's DOM

  var root = el("aside", { className: "ksm-chat", lang: "de", "aria-label": config.title });
  var launcher = el(
    "button",
    {
      type: "button",
      className: "ksm-chat__launcher",
      "aria-expanded": "false",
      "aria-controls": "ksm-chat-panel",
    },
    [el("span", { className: "ksm-chat__launcher-icon", "aria-hidden": "true", text: "?" }), TEXT.launcher]
  );
  var title = el("h2", { id: "ksm-chat-title", className: "ksm-chat__title", text: config.title });
  var connection = el("p", {
    className: "ksm-chat__connection",
    role: "status",
    "data-state": "connecting",
    text: TEXT.connecting,
  });
  var newButton = el("button", {
    type: "button",
    className: "ksm-chat__new",
    text: TEXT.newConversation,
  });
  var closeButton = el("button", {
    type: "button",
    className: "ksm-chat__close",
    "aria-label": TEXT.close,
    title: TEXT.close,
    text: "×",
  });
  var log = el("div", {
    className: "ksm-chat__log",
    role: "log",
    "aria-live": "polite",
    "aria-label": TEXT.log,
    tabindex: "0",
  });
  var typing = el("p", { className: "ksm-chat__typing", hidden: true, text: TEXT.typing });
  var notice = el("p", { className: "ksm-chat__notice", role: "alert" });
  var input = el("textarea", {
    id: "ksm-chat-input",
    className: "ksm-chat__input",
    rows: "2",
    maxlength: String(MAX_MESSAGE_LENGTH),
    autocomplete: "off",
  });
  var sendButton = el("button", { type: "submit", className: "ksm-chat__send", text: TEXT.send });
  var form = el("form", { className: "ksm-chat__form" }, [
    el("label", { for: "ksm-chat-input", className: "ksm-chat__label", text: TEXT.input }),
    el("div", { className: "ksm-chat__compose" }, [input, sendButton]),
  ]);
  var panel = el(
    "section",
    {
      id: "ksm-chat-panel",
      className: "ksm-chat__panel",
      role: "dialog",
      "aria-labelledby": "ksm-chat-title",
      hidden: true,
    },
    [
      el("header", { className: "ksm-chat__header" }, [
        el("div", { className: "ksm-chat__heading" }, [title, connection]),
        el("div", { className: "ksm-chat__tools" }, [newButton, closeButton]),
      ]),
      el("p", { className: "ksm-chat__privacy", text: TEXT.privacy }),
      log,
      typing,
      notice,
      form,
    ]
  );
  root.appendChild(launcher);
  root.appendChild(panel);

  // ---------------------------------------------------------------- rendering

  function removeSuggestions() {
    Array.prototype.forEach.call(log.querySelectorAll(".ksm-chat__suggestions"), function (group) {
      group.remove();
    });
  }

  // Quick replies stay on every bot message since the user's last message (an answer with
  // its own buttons, then the feedback question), and go as soon as the user says something.
  function renderMessage(message, showReplies) {
    var fromUser = message.from === "user";
    var bubble = el("div", {
      className: "ksm-chat__message ksm-chat__message--" + (fromUser ? "user" : "bot"),
    });
    bubble.appendChild(el("span", { className: "ksm-chat__sr", text: fromUser ? TEXT.you : TEXT.bot }));
    if (fromUser) {
      bubble.appendChild(el("p", { text: message.text }));
    } else {
      bubble.appendChild(renderText(message.text || ""));
    }
    log.appendChild(bubble);
    var replies = message.buttons || [];
    if (showReplies && replies.length) {
      var group = el("div", {
        className: "ksm-chat__suggestions",
        role: "group",
        "aria-label": TEXT.suggestions,
      });
      replies.forEach(function (reply) {
        var button = el("button", { type: "button", className: "ksm-chat__suggestion", text: reply.title });
        button.addEventListener("click", function () {
          send(reply.payload, reply.title);
        });
        group.appendChild(button);
      });
      log.appendChild(group);
    }
  }

  function renderAll() {
    log.textContent = "";
    if (!state.messages.length) {
      log.appendChild(el("p", { className: "ksm-chat__empty", text: TEXT.empty }));
    }
    var lastUser = -1;
    state.messages.forEach(function (message, index) {
      if (message.from === "user") {
        lastUser = index;
      }
    });
    state.messages.forEach(function (message, index) {
      renderMessage(message, index > lastUser);
    });
    scrollToEnd();
  }

  function scrollToEnd() {
    log.scrollTop = log.scrollHeight;
  }

  function addMessage(message) {
    var empty = log.querySelector(".ksm-chat__empty");
    if (empty) {
      empty.remove();
    }
    if (message.from === "user") {
      removeSuggestions();
    }
    state.messages.push(message);
    saveState();
    renderMessage(message, true);
    scrollToEnd();
  }

  var typingTimer = null;

  function showTyping(on) {
    typing.hidden = !on;
    window.clearTimeout(typingTimer);
    if (on) {
      typingTimer = window.setTimeout(function () {
        typing.hidden = true;
      }, TYPING_TIMEOUT_MS);
    }
  }

  function setConnection(name) {
    connection.setAttribute("data-state", name);
    connection.textContent = TEXT[name];
    if (name === "connected") {
      notice.textContent = "";
    }
  }

  // ---------------------------------------------------------------- talking to Rasa

  var socket = null;

  function metadata() {
    var custom = {};
    if (config.member) {
      custom.member = config.member;
    }
    if (config.userToken) {
      custom.user_token = config.userToken;
    }
    return custom;
  }

  function connect() {
    socket = window.io(config.serverUrl, {
      transports: ["websocket"],
      reconnectionDelayMax: 5000,
    });
    socket.on("connect", function () {
      socket.emit("session_request", { session_id: state.sessionId });
    });
    socket.on("session_confirm", function () {
      setConnection("connected");
    });
    socket.on("disconnect", function () {
      setConnection("disconnected");
      showTyping(false);
    });
    socket.on("connect_error", function () {
      setConnection("disconnected");
    });
    socket.on("bot_uttered", function (message) {
      if (!message || typeof message !== "object") {
        return;
      }
      showTyping(false);
      var buttons = (message.quick_replies || message.buttons || [])
        .filter(function (b) {
          return b && typeof b.title === "string" && typeof b.payload === "string";
        })
        .map(function (b) {
          return { title: b.title, payload: b.payload };
        });
      var text = typeof message.text === "string" ? message.text : "";
      if (!text && !buttons.length) {
        return;
      }
      addMessage({ from: "bot", text: text, buttons: buttons });
    });
  }

  function send(payload, shown) {
    if (!socket || !socket.connected) {
      notice.textContent = TEXT.notSent;
      return false;
    }
    if (payload.length > MAX_MESSAGE_LENGTH) {
      notice.textContent = TEXT.tooLong;
      return false;
    }
    notice.textContent = "";
    addMessage({ from: "user", text: shown });
    socket.emit("user_uttered", {
      message: payload,
      session_id: state.sessionId,
      customData: metadata(),
    });
    showTyping(true);
    input.focus();
    return true;
  }

  function startNewConversation() {
    state = { sessionId: randomId(), messages: [], open: true };
    saveState();
    showTyping(false);
    renderAll();
    if (socket && socket.connected) {
      setConnection("connecting");
      socket.emit("session_request", { session_id: state.sessionId });
    }
    input.focus();
  }

  // ---------------------------------------------------------------- opening and closing

  function setOpen(open, moveFocus) {
    panel.hidden = !open;
    launcher.setAttribute("aria-expanded", open ? "true" : "false");
    root.classList.toggle("ksm-chat--open", open);
    state.open = open;
    saveState();
    if (open) {
      scrollToEnd();
      if (moveFocus) {
        input.focus();
      }
    } else if (moveFocus) {
      launcher.focus();
    }
  }

  launcher.addEventListener("click", function () {
    setOpen(panel.hidden, true);
  });
  closeButton.addEventListener("click", function () {
    setOpen(false, true);
  });
  newButton.addEventListener("click", startNewConversation);
  panel.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      setOpen(false, true);
    }
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value.trim();
    if (text && send(text, text)) {
      input.value = "";
    }
  });
  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit();
    }
  });

  // ---------------------------------------------------------------- start

  function loadResource(tag, attributes) {
    return new Promise(function (resolve, reject) {
      var node = el(tag, attributes);
      node.addEventListener("load", resolve);
      node.addEventListener("error", reject);
      document.head.appendChild(node);
    });
  }

  function start() {
    var styles = loadResource("link", { rel: "stylesheet", href: WIDGET_BASE + "ksm-chat.css" });
    var client = window.io
      ? Promise.resolve()
      : loadResource("script", { src: WIDGET_BASE + "vendor/socket.io.min.js" });
    // Shown once styled, so the page never flashes an unstyled widget.
    styles.catch(function () {}).then(function () {
      document.body.appendChild(root);
      renderAll();
      setOpen(Boolean(state.open), false);
      Promise.all([styles, client]).then(connect, function () {
        setConnection("disconnected");
        connection.textContent = TEXT.loadFailed;
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
