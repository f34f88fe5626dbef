// The benchmark's baseline: no framework, fetch one page of JSON, render every row.
fetch('/api/connections?limit=500')
  .then((r) => r.json())
  .then((page) => {
    const tbody = document.getElementById('rows');
    const frag = document.createDocumentFragment();
    for (const c of page.items) {
      const tr = document.createElement('tr');
      for (const v of [c.id, c.name, c.status.state]) {
        const td = document.createElement('td');
        td.textContent = v;
        tr.appendChild(td);
      }
      frag.appendChild(tr);
    }
    tbody.appendChild(frag);
    requestAnimationFrame(() => performance.mark('baseline:rows-shown'));
  });
