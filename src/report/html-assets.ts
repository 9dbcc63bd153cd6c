/** The inline style and script of the HTML report (src/report/html.ts): no external files. */

export const HTML_STYLE = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1d1d1f;background:#fff}
header{padding:16px 24px;background:#22303c;color:#fff}header h1{margin:0 0 4px;font-size:20px;word-break:break-all}
header .meta{color:#cfd8e0}.warn{background:#fde2e1;color:#8a1c12;padding:6px 10px;border-radius:4px;display:inline-block}
main{padding:16px 24px}.lead{font-size:15px}.clean{font-size:16px;color:#1b6e2b;font-weight:600}
.summaries{display:flex;flex-wrap:wrap;gap:16px;margin:12px 0;align-items:flex-start}
table.summary{border-collapse:collapse;min-width:200px}table.summary caption{text-align:left;font-weight:600;padding:4px 0}
table.summary td{border-bottom:1px solid #e3e6ea;padding:3px 8px}.num{text-align:right;font-variant-numeric:tabular-nums}
.filters{display:flex;flex-wrap:wrap;gap:12px;align-items:center;margin:12px 0;padding:8px;background:#f3f5f7;border-radius:4px}
#findings{border-collapse:collapse;width:100%}#findings th{text-align:left;background:#eef1f4;padding:6px;cursor:pointer;user-select:none;position:sticky;top:0}
#findings th[aria-sort=ascending]::after{content:" \\25B2"}#findings th[aria-sort=descending]::after{content:" \\25BC"}
#findings td{padding:5px 6px;vertical-align:top}#findings tr.head td{border-top:1px solid #d5dae0}
.rule{color:#5a6470;font-size:12px}code{font:12px/1.4 ui-monospace,Menlo,Consolas,monospace;word-break:break-all}
.more{color:#5a6470}.origin{color:#5a6470;font-size:12px}.locations{margin:4px 0}
.sev-critical tr.head td:nth-child(2){color:#8e1b8e;font-weight:700}.sev-high tr.head td:nth-child(2){color:#b3261e;font-weight:700}
.sev-medium tr.head td:nth-child(2){color:#9a6700}.sev-low tr.head td:nth-child(2){color:#0b6e8a}
.v-live{color:#b3261e;font-weight:700}.hidden{display:none}
@media print{header{background:none;color:#000}header .meta{color:#333}.filters{display:none}#findings th{position:static}}
`;

/**
 * Sorting (click a column head) and filtering (search, severity, provider, source). Each finding
 * is a <tbody> of two rows, so the rows move and hide together. Before printing, every detail opens.
 */
export const HTML_SCRIPT = `
(function(){
  var table=document.getElementById('findings');if(!table)return;
  var bodies=Array.prototype.slice.call(table.tBodies);
  var q=document.getElementById('q'),sev=document.getElementById('sev'),prov=document.getElementById('prov'),src=document.getElementById('src'),shown=document.getElementById('shown');
  function cell(b,i){var c=b.rows[0].cells[i];return c?c.textContent.trim():'';}
  function key(b,i){if(i===0)return Number(cell(b,0));if(i===1)return Number(b.getAttribute('data-severity'));return cell(b,i).toLowerCase();}
  function apply(){
    var text=q.value.trim().toLowerCase(),min=Number(sev.value),p=prov.value,s=src.value,n=0;
    bodies.forEach(function(b){
      var ok=Number(b.getAttribute('data-severity'))>=min&&(!p||b.getAttribute('data-provider')===p)&&(!s||b.getAttribute('data-source').split(', ').indexOf(s)>=0)&&(!text||b.textContent.toLowerCase().indexOf(text)>=0);
      b.classList.toggle('hidden',!ok);if(ok)n++;
    });
    shown.textContent=n+' of '+bodies.length+' shown';
  }
  [q,sev,prov,src].forEach(function(el){el.addEventListener('input',apply);el.addEventListener('change',apply);});
  Array.prototype.forEach.call(table.tHead.rows[0].cells,function(th,i){
    function sort(){
      var dir=th.getAttribute('aria-sort')==='ascending'?-1:1;
      Array.prototype.forEach.call(table.tHead.rows[0].cells,function(h){h.removeAttribute('aria-sort');});
      th.setAttribute('aria-sort',dir===1?'ascending':'descending');
      bodies.sort(function(a,b){var x=key(a,i),y=key(b,i);return (x<y?-1:x>y?1:0)*dir;});
      bodies.forEach(function(b){table.appendChild(b);});
    }
    th.addEventListener('click',sort);th.addEventListener('keydown',function(e){if(e.key==='Enter')sort();});
  });
  window.addEventListener('beforeprint',function(){Array.prototype.forEach.call(document.querySelectorAll('details'),function(d){d.open=true;});});
  apply();
})();
`;
