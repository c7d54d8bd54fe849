import { Adam } from "./lib.js"; console.log(Adam());
