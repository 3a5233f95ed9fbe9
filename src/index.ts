console.log("aib-chatops: start-up is wired by the bot issue");
